package io.podserve.planner.report;

import io.podserve.planner.search.Evaluation;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The ranked strategies as a fixed-width table. */
public final class RankedTable {
    private RankedTable() {
    }

    public static void print(PrintWriter out, List<Evaluation> rows, double fraction) {
        String pct = "p" + Math.round(fraction * 100);
        out.printf(Locale.ROOT, "%-4s %-44s %6s %12s %13s %11s %11s  %s%n", "rank", "strategy", "chips", "goodput/chip",
                "tok/s/chip", "TTFT " + pct, "TPOT " + pct, "bottleneck");
        int rank = 1;
        for (Evaluation e : rows) {
            out.printf(Locale.ROOT, "%-4d %-44s %6d %12s %13.1f %11s %11s  %s%n", rank++, e.strategy(), e.chips(),
                    rate(e.goodputPerChip()), e.tokensPerChip(), ms(e.ttft()), ms(e.tpot()),
                    e.misfit() != null ? "does not fit: " + e.misfit() : e.bottleneck());
        }
    }

    /** Requests per second, readable from 1e-4 to 1e4. */
    static String rate(double r) {
        return String.format(Locale.ROOT, r >= 100 ? "%.0f/s" : r >= 1 ? "%.2f/s" : "%.4f/s", r);
    }

    static String ms(double seconds) {
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.1f ms", seconds * 1e3);
    }
}
