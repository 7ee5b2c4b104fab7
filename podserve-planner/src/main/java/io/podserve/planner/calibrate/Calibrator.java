package io.podserve.planner.calibrate;

import io.podserve.planner.catalog.EfficiencyCurve;
import io.podserve.planner.catalog.Hardware;
import io.podserve.planner.cost.ModelShape;
import io.podserve.planner.cost.Parallelism;
import io.podserve.planner.cost.Precision;
import io.podserve.planner.cost.RankCost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fits a profile to measured steps: host dispatch per kernel and per sequence, a memory efficiency, GEMM
 * efficiencies at fixed row counts and an attention efficiency, by coordinate descent on the
 * squared log error of predicted against measured step times (so a 10% miss weighs the same on
 * a 1 ms decode step and a 1 s prefill). Peaks and bandwidth stay as measured; only the fractions
 * of them the kernels reach, and the host's share, are fitted.
 */
public final class Calibrator {
    /** GEMM rows the fitted efficiency curve has points at. */
    static final double[] GEMM_ROWS = {1, 4, 16, 64, 256, 1024};
    private static final double[] FACTORS = {0.25, 0.5, 0.8, 0.95, 1.05, 1.25, 2, 4};
    private static final int ROUNDS = 40;

    private final ModelShape shape;
    private final Precision precision;
    private final Hardware base;

    public Calibrator(ModelShape shape, Precision precision, Hardware base) {
        this.shape = shape;
        this.precision = precision;
        this.base = base;
    }

    /** The fitted profile and each measurement's prediction under it. */
    public record Fit(Hardware hardware, double[] predicted, double rmsLogError) {
    }

    public Fit fit(List<Measurement> ms) {
        if (ms.isEmpty()) {
            throw new IllegalArgumentException("calibration needs at least one measured step");
        }
        // x = [perKernel, perSequence, memory eff, attention eff, gemm eff at the fewest rows, then the ratio
        // of each next point to the one before: ratios >= 1 keep the curve rising with rows (more rows never
        // make a GEMM less efficient), which keeps the fit from chasing noise]
        double[] x = new double[4 + GEMM_ROWS.length];
        x[0] = 5e-6;
        x[1] = 1e-4;
        x[2] = 0.6;
        x[3] = 0.3;
        x[4] = 0.2;
        Arrays.fill(x, 5, x.length, 1.2);
        double best = error(x, ms);
        for (int round = 0; round < ROUNDS; round++) {
            boolean improved = false;
            for (int i = 0; i < x.length; i++) {
                for (double f : FACTORS) {
                    double[] y = x.clone();
                    // efficiencies stay in [0.05, 1]: below that a term would only be soaking up noise
                    y[i] = i < 2 ? x[i] * f : i < 5 ? Math.clamp(x[i] * f, 0.05, 1) : Math.clamp(x[i] * f, 1, 4);
                    double e = error(y, ms);
                    if (e < best - 1e-12) {
                        best = e;
                        x = y;
                        improved = true;
                    }
                }
            }
            if (!improved) {
                break;
            }
        }
        Hardware hw = hardware(x);
        double[] predicted = predict(hw, ms);
        return new Fit(hw, predicted, Math.sqrt(best / ms.size()));
    }

    private Hardware hardware(double[] x) {
        List<double[]> gemm = new ArrayList<>();
        double e = x[4];
        for (int i = 0; i < GEMM_ROWS.length; i++) {
            e = i == 0 ? e : Math.min(1, e * x[4 + i]);
            gemm.add(new double[] {GEMM_ROWS[i], e});
        }
        return base.withCalibration(x[0], 0, x[1], new EfficiencyCurve(gemm), EfficiencyCurve.flat(x[2]),
                EfficiencyCurve.flat(x[3]));
    }

    private double[] predict(Hardware hw, List<Measurement> ms) {
        RankCost cost = new RankCost(shape, precision, hw, new Parallelism(1, 1, 1, 1));
        double[] out = new double[ms.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = cost.seconds(ms.get(i).batch());
        }
        return out;
    }

    private double error(double[] x, List<Measurement> ms) {
        double[] p = predict(hardware(x), ms);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double d = Math.log(p[i] / ms.get(i).seconds());
            sum += d * d;
        }
        return sum;
    }
}
