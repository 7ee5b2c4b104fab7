package io.podserve.cli.plan;

import io.podserve.planner.calibrate.Measurement;
import io.podserve.planner.cost.StepBatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The measured steps of a profile run as CSV, so a profile can be refitted (or audited) without
 * measuring again. The first line holds the machine limits.
 */
final class StepLog {
    private static final String HEADER = "label,rows,seqs,sampled,attn_pairs,kv_read,prefill,seconds";

    private StepLog() {
    }

    record Loaded(CpuProfile.Limits limits, List<Measurement> steps) {
    }

    static void write(Path file, CpuProfile.Limits limits, List<Measurement> steps) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "# limits bandwidth=%.6e peak=%.6e cores=%d", limits.bandwidth(),
                limits.peakFlops(), limits.cores()));
        lines.add(HEADER);
        for (Measurement m : steps) {
            StepBatch b = m.batch();
            lines.add(String.format(Locale.ROOT, "%s,%d,%d,%d,%.1f,%.1f,%b,%.9f", m.label(), b.rows(), b.seqs(), b.sampled(),
                    b.attnPairs(), b.kvRead(), b.prefill(), m.seconds()));
        }
        Files.write(file, lines);
    }

    static Loaded read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.size() < 3 || !lines.get(0).startsWith("# limits ") || !lines.get(1).equals(HEADER)) {
            throw new IllegalArgumentException(file + " is not a steps file written by podserve profile");
        }
        String[] l = lines.get(0).substring("# limits ".length()).split(" ");
        CpuProfile.Limits limits = new CpuProfile.Limits(value(l[0]), value(l[1]), (int) value(l[2]));
        List<Measurement> steps = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            String[] f = line.split(",");
            steps.add(new Measurement(f[0], new StepBatch(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]), Boolean.parseBoolean(f[6])), Double.parseDouble(f[7])));
        }
        return new Loaded(limits, steps);
    }

    private static double value(String kv) {
        return Double.parseDouble(kv.substring(kv.indexOf('=') + 1));
    }
}
