package io.podserve.bench.workload;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ArrivalScheduleTest {
    private static final int N = 40_000;

    @Test
    void infiniteRateSendsEverythingAtOnce() {
        assertArrayEquals(new double[5], ArrivalSchedule.offsetsSeconds(5, Double.POSITIVE_INFINITY, 1, 0));
    }

    @Test
    void poissonGapsHaveMeanOneOverRateAndUnitCoefficientOfVariation() {
        double[] gaps = gaps(ArrivalSchedule.offsetsSeconds(N, 8, 1, 42));
        // Standard error of the mean is 1/sqrt(N) = 0.5 % of it; 3 % is far outside chance.
        assertEquals(1 / 8.0, mean(gaps), 0.03 / 8);
        assertEquals(1.0, cv2(gaps), 0.05);
        // Exponential: P(gap > mean) = 1/e.
        long above = java.util.Arrays.stream(gaps).filter(g -> g > 1 / 8.0).count();
        assertEquals(Math.exp(-1), above / (double) gaps.length, 0.01);
    }

    @Test
    void burstinessIsTheGammaShapeAtTheSameMeanRate() {
        double[] bursty = gaps(ArrivalSchedule.offsetsSeconds(N, 4, 0.5, 1));
        double[] regular = gaps(ArrivalSchedule.offsetsSeconds(N, 4, 4, 1));
        assertEquals(0.25, mean(bursty), 0.25 * 0.04);
        assertEquals(0.25, mean(regular), 0.25 * 0.03);
        assertEquals(2.0, cv2(bursty), 0.15); // squared coefficient of variation of gamma = 1 / shape
        assertEquals(0.25, cv2(regular), 0.02);
    }

    @Test
    void theSeedFixesTheSchedule() {
        double[] a = ArrivalSchedule.offsetsSeconds(100, 3, 1, 9);
        assertArrayEquals(a, ArrivalSchedule.offsetsSeconds(100, 3, 1, 9));
        assertFalse(java.util.Arrays.equals(a, ArrivalSchedule.offsetsSeconds(100, 3, 1, 10)));
        assertEquals(0, a[0]);
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i] >= a[i - 1]);
        }
    }

    @Test
    void badRatesAreRejectedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> ArrivalSchedule.offsetsSeconds(3, 0, 1, 0));
        assertTrue(e.getMessage().contains("--request-rate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ArrivalSchedule.offsetsSeconds(3, 1, -1, 0));
        assertTrue(e.getMessage().contains("--burstiness"), e.getMessage());
    }

    private static double[] gaps(double[] offsets) {
        double[] g = new double[offsets.length - 1];
        for (int i = 1; i < offsets.length; i++) {
            g[i - 1] = offsets[i] - offsets[i - 1];
        }
        return g;
    }

    private static double mean(double[] x) {
        return java.util.Arrays.stream(x).average().orElseThrow();
    }

    private static double cv2(double[] x) {
        double m = mean(x);
        double var = java.util.Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / x.length;
        return var / (m * m);
    }
}
