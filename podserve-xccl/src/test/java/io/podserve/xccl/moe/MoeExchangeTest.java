package io.podserve.xccl.moe;

import io.podserve.xccl.InProcessCommunicatorTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(60)
class MoeExchangeTest {

    @Test
    void dispatchCombineMatchesTheDirectSumInProcess() throws Exception {
        InProcessCommunicatorTest.runRanks(4, 4, 4096, c -> MoeRankScenario.run(c, "48,4,16,20,NONE,6"));
    }

    @Test
    void int8DispatchStaysWithinTheQuantizationBound() throws Exception {
        InProcessCommunicatorTest.runRanks(2, 4, 4096, c -> MoeRankScenario.run(c, "64,2,8,17,INT8,6"));
    }

    @Test
    void descriptorOffsetsFollowTheRowCount() {
        assertEquals(8, DispatchDescriptor.EXPERT_IDS_OFFSET);
        assertEquals(8 + 4 * 10, DispatchDescriptor.gatesOffset(10));
        assertEquals(8 + 8 * 10, DispatchDescriptor.scalesOffset(10));
        assertEquals(128, DispatchDescriptor.rowsOffset(10, false));    // 88 rounded up to 64
        assertEquals(128, DispatchDescriptor.rowsOffset(10, true));     // 128 exactly
        assertEquals(64, DispatchDescriptor.rowsOffset(0, true));
        assertEquals(128 + 10 * 4 * 32, DispatchDescriptor.messageBytes(10, 32, false));
        assertEquals(128 + 10 * 32, DispatchDescriptor.messageBytes(10, 32, true));
    }

    @Test
    void expertsMustSplitEvenly() throws Exception {
        InProcessCommunicatorTest.runRanks(3, 2, 64, c -> assertThrows(IllegalArgumentException.class,
                () -> new MoeExchange(c, new MoeShape(8, 2, 8, 4, MoeShape.Quantization.NONE))));
    }
}
