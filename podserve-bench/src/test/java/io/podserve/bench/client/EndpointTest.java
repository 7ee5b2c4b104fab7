package io.podserve.bench.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class EndpointTest {
    @Test
    void resolvesFromTheRootTheV1BaseOrTheFullUrl() {
        for (String base : new String[] {"http://h:8000", "http://h:8000/", "http://h:8000/v1", "http://h:8000/v1/completions"}) {
            assertEquals("http://h:8000/v1/completions", Endpoint.COMPLETIONS.resolve(base).toString(), base);
        }
        assertEquals("http://h:8000/v1/chat/completions", Endpoint.CHAT.resolve("http://h:8000/v1/").toString());
    }

    @Test
    void chatTextIsContentOrReasoningNeverTheRole() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals("", Endpoint.CHAT.content(json.readTree("{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}")));
        assertEquals("", Endpoint.CHAT.content(json.readTree("{\"delta\":{},\"finish_reason\":\"stop\"}")));
        assertEquals("hm", Endpoint.CHAT.content(json.readTree("{\"delta\":{\"reasoning_content\":\"hm\"}}")));
        assertEquals("hi", Endpoint.CHAT.content(json.readTree("{\"delta\":{\"content\":\"hi\"}}")));
        assertEquals("x", Endpoint.COMPLETIONS.content(json.readTree("{\"text\":\"x\"}")));
    }
}
