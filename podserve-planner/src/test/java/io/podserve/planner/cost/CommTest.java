package io.podserve.planner.cost;

import io.podserve.planner.catalog.Hardware;
import io.podserve.planner.catalog.HardwareCatalog;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class CommTest {
    private static final Hardware H100 = HardwareCatalog.builtin().get("h100-sxm");

    @Test
    void allReduceIsRingBandwidthPlusTreeLatency() {
        // 8 chips on NVLink (450 GB/s, 3 us): 2*7/8 of 1 MB over the link, 2*log2(8) latencies
        assertEquals(6 * 3e-6 + 2.0 * 7 / 8 * 1e6 / 450e9, Comm.allReduce(H100, 8, 1e6), 1e-12);
        assertEquals(0, Comm.allReduce(H100, 1, 1e6));
    }

    @Test
    void groupsBeyondANodeUseTheClusterLink() {
        assertSame(H100.node(), H100.linkFor(8));
        assertSame(H100.cluster(), H100.linkFor(16));
        Hardware cm = HardwareCatalog.builtin().get("cloudmatrix384");
        assertSame(cm.superpod(), cm.linkFor(768));
        assertSame(cm.cluster(), cm.linkFor(1536));
        assertEquals(8e-6 + 1e6 * 15 / 16 / 50e9, Comm.allToAll(H100, 16, 1e6), 1e-12);
    }
}
