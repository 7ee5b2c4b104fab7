package io.podserve.planner.catalog;

import java.util.Arrays;
import java.util.List;

/**
 * The fraction of a peak rate that an operator reaches as a function of its size (rows of a GEMM,
 * bytes a memory-bound kernel moves), interpolated linearly in log(size) between measured or
 * assumed points and held flat beyond the ends.
 */
public final class EfficiencyCurve {
    private final double[] logX;
    private final double[] y;

    /** Points as [size, efficiency] pairs with increasing sizes and efficiencies in (0, 1]. */
    public EfficiencyCurve(List<double[]> points) {
        if (points == null || points.isEmpty()) {
            throw new IllegalArgumentException("an efficiency curve needs at least one [size, efficiency] point");
        }
        logX = new double[points.size()];
        y = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            double[] p = points.get(i);
            if (p.length != 2 || !(p[0] > 0) || !(p[1] > 0) || p[1] > 1) {
                throw new IllegalArgumentException("efficiency point " + Arrays.toString(p)
                        + " must be [size > 0, efficiency in (0, 1]]");
            }
            logX[i] = Math.log(p[0]);
            y[i] = p[1];
            if (i > 0 && logX[i] <= logX[i - 1]) {
                throw new IllegalArgumentException("efficiency points must have increasing sizes, got "
                        + Math.exp(logX[i - 1]) + " then " + p[0]);
            }
        }
    }

    public static EfficiencyCurve flat(double efficiency) {
        return new EfficiencyCurve(List.of(new double[] {1, efficiency}));
    }

    public double at(double size) {
        double lx = Math.log(Math.max(size, 1e-9));
        if (lx <= logX[0]) {
            return y[0];
        }
        int n = logX.length;
        if (lx >= logX[n - 1]) {
            return y[n - 1];
        }
        int i = 1;
        while (logX[i] < lx) {
            i++;
        }
        double f = (lx - logX[i - 1]) / (logX[i] - logX[i - 1]);
        return y[i - 1] + f * (y[i] - y[i - 1]);
    }

    /** The points as [size, efficiency] pairs, for writing a profile back out. */
    public List<double[]> points() {
        double[][] out = new double[logX.length][];
        for (int i = 0; i < logX.length; i++) {
            out[i] = new double[] {Math.exp(logX[i]), y[i]};
        }
        return List.of(out);
    }
}
