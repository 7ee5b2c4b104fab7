package io.podserve.cli.bench;

import io.podserve.units.Activation;
import io.podserve.units.Step;
import io.podserve.units.Unit;
import io.podserve.units.placement.Placement;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * A placement that runs units where its delegate does and adds up the wall time spent in each kind
 * of unit (its class), so a benchmark can say where a step's time goes. Owned by the benchmark thread.
 */
final class UnitTimes implements Placement {
    private final Placement delegate;
    private final TimedBackend kernels; // told which unit runs, or null
    private final Map<String, long[]> nanosByKind = new TreeMap<>();

    /** @param kernels the timing backend to tell which unit kind is running, or null */
    UnitTimes(Placement delegate, TimedBackend kernels) {
        this.delegate = delegate;
        this.kernels = kernels;
    }

    @Override
    public <I extends Activation, O extends Activation> O call(Unit<I, O> unit, Step step, I input) {
        String kind = unit.getClass().getSimpleName();
        if (kernels != null) {
            kernels.enterUnit(kind);
        }
        long t0 = System.nanoTime();
        try {
            return delegate.call(unit, step, input);
        } finally {
            nanosByKind.computeIfAbsent(kind, k -> new long[1])[0] += System.nanoTime() - t0;
            if (kernels != null) {
                kernels.leaveUnit();
            }
        }
    }

    /** Forgets the times added so far (after warm-up). */
    void reset() {
        nanosByKind.clear();
    }

    /**
     * Prints each kind's time per step and share of {@code stepSeconds} (the mean step), then the rest:
     * the executor's own work between units.
     */
    void print(PrintWriter out, int steps, double stepSeconds) {
        double inUnits = 0;
        StringBuilder line = new StringBuilder("  where a step's time goes:");
        for (Map.Entry<String, long[]> e : nanosByKind.entrySet()) {
            double perStep = e.getValue()[0] / 1e9 / steps;
            inUnits += perStep;
            line.append(String.format(" %s %.2f ms (%.0f%%),", e.getKey(), perStep * 1e3, 100 * perStep / stepSeconds));
        }
        double rest = stepSeconds - inUnits;
        line.append(String.format(" between units %.2f ms (%.0f%%)", rest * 1e3, 100 * rest / stepSeconds));
        out.println(line);
    }
}
