package io.podserve.bench.workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DatasetSpecTest {
    @TempDir
    Path tmp;

    @Test
    void syntheticPromptsHaveTheRequestedWordsAndAreSeeded() {
        List<BenchRequest> a = DatasetSpec.synthetic(50, 7).requests(20, 3);
        for (BenchRequest r : a) {
            assertEquals(50, r.prompt().split(" ").length);
            assertEquals(50, r.promptLen());
            assertEquals(7, r.outputLen());
        }
        assertEquals(a, DatasetSpec.synthetic(50, 7).requests(20, 3));
        assertNotEquals(a, DatasetSpec.synthetic(50, 7).requests(20, 4));
        assertNotEquals(a.get(0).prompt(), a.get(1).prompt());
    }

    @Test
    void rangeRatioSpreadsLengthsAndPrefixIsShared() {
        List<BenchRequest> reqs = new DatasetSpec(null, 100, 10, 0.5, 8).requests(200, 1);
        String prefix = String.join(" ", List.of(reqs.getFirst().prompt().split(" ")).subList(0, 8));
        int minOut = Integer.MAX_VALUE;
        int maxOut = 0;
        for (BenchRequest r : reqs) {
            int body = r.promptLen() - 8;
            assertTrue(body >= 50 && body <= 150, "input " + body);
            assertEquals(r.promptLen(), r.prompt().split(" ").length);
            assertTrue(r.prompt().startsWith(prefix + " "));
            minOut = Math.min(minOut, r.outputLen());
            maxOut = Math.max(maxOut, r.outputLen());
        }
        assertTrue(minOut >= 5 && maxOut <= 15 && maxOut - minOut >= 8, minOut + ".." + maxOut);
    }

    @Test
    void jsonlLinesGiveThePromptsInOrderAndRepeat() throws Exception {
        Path file = tmp.resolve("d.jsonl");
        Files.writeString(file, """
                {"prompt": "one two three", "output_len": 5}

                {"prompt": "four", "prompt_len": 9}
                """);
        List<BenchRequest> reqs = new DatasetSpec(file, 1, 64, 0, 0).requests(3, 0);
        assertEquals(new BenchRequest("one two three", 3, 5), reqs.get(0));
        assertEquals(new BenchRequest("four", 9, 64), reqs.get(1));
        assertEquals(reqs.get(0), reqs.get(2));
    }

    @Test
    void badJsonlNamesTheLine() throws Exception {
        Path file = tmp.resolve("bad.jsonl");
        Files.writeString(file, "{\"prompt\": \"ok\"}\n{\"text\": \"no prompt\"}\n");
        var e = assertThrows(IllegalArgumentException.class, () -> new DatasetSpec(file, 1, 4, 0, 0).requests(2, 0));
        assertEquals(file + ":2: needs a non-empty string field \"prompt\"", e.getMessage());

        Files.writeString(file, "{\"prompt\": \"ok\", \"output_len\": -3}\n");
        e = assertThrows(IllegalArgumentException.class, () -> new DatasetSpec(file, 1, 4, 0, 0).requests(1, 0));
        assertTrue(e.getMessage().startsWith(file + ":1: \"output_len\" must be a positive integer"), e.getMessage());

        Files.writeString(file, "not json\n");
        e = assertThrows(IllegalArgumentException.class, () -> new DatasetSpec(file, 1, 4, 0, 0).requests(1, 0));
        assertTrue(e.getMessage().startsWith(file + ":1: not a JSON object"), e.getMessage());

        Path missing = tmp.resolve("missing.jsonl");
        var io = assertThrows(UncheckedIOException.class, () -> new DatasetSpec(missing, 1, 4, 0, 0).requests(1, 0));
        assertTrue(io.getMessage().contains(missing.toString()), io.getMessage());
    }

    @Test
    void badLengthsAreRejectedByOption() {
        var e = assertThrows(IllegalArgumentException.class, () -> DatasetSpec.synthetic(0, 4));
        assertTrue(e.getMessage().startsWith("--input-len"));
        e = assertThrows(IllegalArgumentException.class, () -> new DatasetSpec(null, 4, 4, 1.0, 0));
        assertTrue(e.getMessage().startsWith("--range-ratio"));
    }
}
