package io.podserve.bench.report;

import io.podserve.bench.client.RequestRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The arithmetic of the summary on hand-made records, no server. */
class BenchSummaryTest {
    @Test
    void goodputCountsSuccessfulRequestsMeetingEverySloPerSecond() {
        List<RequestRecord> records = List.of(
                ok(0, 0.10, 1.10, 11),  // tpot 100 ms: meets both
                ok(1, 0.30, 0.80, 6),   // ttft 300 ms: misses
                ok(2, 0.10, 0.10, 1),   // one token: tpot counts as 0, meets both
                ok(3, 0.05, 2.05, 11),  // tpot 200 ms: misses
                ok(4, 0.01, 0.01, 1).failed("HTTP 500"));
        BenchSummary s = BenchSummary.of(records, 2.0, new Slo(200.0, 150.0, null));

        assertEquals(4, s.completed());
        assertEquals(1, s.failed());
        assertEquals(2, s.goodRequests());
        assertEquals(0.4, s.sloAttainment(), 1e-12);
        assertEquals(1.0, s.requestGoodput(), 1e-12);
        assertEquals(2.0, s.requestThroughput(), 1e-12);
        assertEquals(29, s.totalOutputTokens());
        assertEquals(40, s.totalInputTokens());
        assertEquals(14.5, s.outputThroughput(), 1e-12);
        assertEquals(34.5, s.totalTokenThroughput(), 1e-12);
        assertEquals(3, s.tpot().count(), "single-token outputs have no TPOT");
        assertEquals((100 + 100 + 200) / 3.0, s.tpot().meanMs(), 1e-9);
        assertEquals(4, s.ttft().count());
        assertEquals(10 + 5 + 10, s.itl().count());
    }

    @Test
    void withoutSloThereIsNoGoodput() {
        BenchSummary s = BenchSummary.of(List.of(ok(0, 0.1, 0.2, 2)), 1.0, Slo.NONE);
        assertNull(s.requestGoodput());
        assertNull(s.sloAttainment());
        assertFalse(s.toJson(new com.fasterxml.jackson.databind.ObjectMapper()).has("request_goodput"));
    }

    @Test
    void percentilesComeFromTheHistogramWithinATenthOfAPercent() {
        List<Double> seconds = new ArrayList<>();
        for (int ms = 100; ms >= 1; ms--) {
            seconds.add(ms / 1000.0);
        }
        LatencyStats st = LatencyStats.ofSeconds(seconds);
        assertEquals(100, st.count());
        assertEquals(50.5, st.meanMs(), 1e-9);
        assertEquals(Math.sqrt((100 * 100 - 1) / 12.0), st.stdMs(), 1e-9);
        assertEquals(50, st.medianMs(), 0.05);
        assertEquals(90, st.p90Ms(), 0.09);
        assertEquals(99, st.p99Ms(), 0.1);
        assertEquals(new LatencyStats(0, 0, 0, 0, 0, 0), LatencyStats.ofSeconds(List.of()));
    }

    @Test
    void sloTargetsMustBePositive() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Slo(null, -1.0, null));
        assertTrue(e.getMessage().startsWith("--slo-tpot-ms"), e.getMessage());
    }

    /** A successful record whose text chunks came evenly between ttft and e2e. */
    private static RequestRecord ok(int index, double ttft, double e2e, int tokens) {
        List<Double> itl = new ArrayList<>();
        for (int i = 1; i < tokens; i++) {
            itl.add((e2e - ttft) / (tokens - 1));
        }
        return new RequestRecord(index, 0, 0, true, 200, ttft, itl, e2e, 10, tokens, "usage", null);
    }
}
