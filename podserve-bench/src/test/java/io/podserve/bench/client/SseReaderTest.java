package io.podserve.bench.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class SseReaderTest {
    @Test
    void eventsFollowTheEventStreamFormat() throws Exception {
        String stream = ": ping\n\ndata: {\"a\":1}\n\nevent: x\ndata:{\"b\":2}\r\n\r\n"
                + "data: line one\ndata: line two\n\nid: 7\n\ndata: [DONE]\n\ndata: unfinished";
        SseReader r = new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));
        assertEquals("{\"a\":1}", r.next());
        assertEquals("{\"b\":2}", r.next());
        assertEquals("line one\nline two", r.next());
        assertEquals("[DONE]", r.next());
        assertNull(r.next(), "an event the stream cut off is dropped");
    }
}
