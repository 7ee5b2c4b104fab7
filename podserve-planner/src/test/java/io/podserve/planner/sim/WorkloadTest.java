package io.podserve.planner.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadTest {
    @Test
    void traceReplaysScaledToTheAskedRate(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "timestamp,input,output\n0,100,10\n1.0,200,20\n# a comment\n2.0,300,30\n");
        Workload w = Workload.trace(csv);
        assertEquals(200, w.meanInput());
        assertEquals(330, w.maxLength());
        // the trace runs at 1 request/s; asked for 4/s its gaps shrink fourfold, and it cycles
        RequestSpec[] r = w.generate(4, 5, 1);
        assertEquals(0.5, r[2].arrival(), 1e-12);
        assertEquals(200, r[4].input());
        assertTrue(r[3].arrival() > r[2].arrival());
    }

    @Test
    void badTraceLinesAreNamed(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "0,100,10\n1.0,two hundred,20\n");
        var e = assertThrows(IllegalArgumentException.class, () -> Workload.trace(csv));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void lengthsStayWithinTheirSpread() {
        Workload w = new Workload(Workload.Arrivals.POISSON, 1, 1000, 100, 0.5, null);
        for (RequestSpec r : w.generate(1, 2000, 7)) {
            assertTrue(r.input() >= 500 && r.input() <= 1500 && r.output() >= 50 && r.output() <= 150, r.toString());
        }
    }
}
