package io.podserve.bench.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads the data of server-sent events from a response body, one event at a time as it arrives.
 * Follows the event-stream format: {@code data:} lines of one event are joined with newlines, a
 * blank line ends the event, comment lines ({@code :ping}) and other fields are skipped. Not
 * thread-safe; owned by the thread that reads the response.
 */
final class SseReader {
    private final BufferedReader reader;

    SseReader(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event's data, or null when the stream ends (an unfinished last event is dropped). */
    String next() throws IOException {
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return data.toString();
                }
            } else if (line.startsWith("data:")) {
                String value = line.substring(line.startsWith("data: ") ? 6 : 5);
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
        }
        return null;
    }
}
