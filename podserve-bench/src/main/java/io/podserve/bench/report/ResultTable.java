package io.podserve.bench.report;

import io.podserve.bench.client.RequestRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The printed report of a run: counts and throughputs, one latency row per metric, SLOs, errors. */
public final class ResultTable {
    private static final int WIDTH = 62;
    private static final int MAX_ERRORS_SHOWN = 5;

    private ResultTable() {
    }

    /** The table, {@code heading} lines first (what was run against what). */
    public static String format(List<String> heading, BenchSummary s, List<RequestRecord> records) {
        StringBuilder sb = new StringBuilder();
        rule(sb, '=', " podserve bench ");
        heading.forEach(line -> sb.append(line).append('\n'));
        rule(sb, '-', "");
        row(sb, "Successful requests", Integer.toString(s.completed()));
        row(sb, "Failed requests", Integer.toString(s.failed()));
        row(sb, "Benchmark duration (s)", fixed(s.durationS()));
        row(sb, "Total input tokens", Long.toString(s.totalInputTokens()));
        row(sb, "Total output tokens", Long.toString(s.totalOutputTokens()));
        row(sb, "Request throughput (req/s)", fixed(s.requestThroughput()));
        row(sb, "Input token throughput (tok/s)", fixed(s.inputThroughput()));
        row(sb, "Output token throughput (tok/s)", fixed(s.outputThroughput()));
        row(sb, "Total token throughput (tok/s)", fixed(s.totalTokenThroughput()));
        rule(sb, '-', " latency (ms) ");
        sb.append(String.format(Locale.ROOT, "%-6s %9s %9s %9s %9s %9s %9s%n",
                "", "mean", "median", "p90", "p99", "std", "samples"));
        stats(sb, "TTFT", s.ttft());
        stats(sb, "TPOT", s.tpot());
        stats(sb, "ITL", s.itl());
        stats(sb, "E2E", s.e2e());
        if (s.slo().any()) {
            rule(sb, '-', " SLO ");
            row(sb, "Targets", targets(s.slo()));
            row(sb, "SLO attainment", String.format(Locale.ROOT, "%.1f %% (%d of %d)",
                    100 * s.sloAttainment(), s.goodRequests(), s.completed() + s.failed()));
            row(sb, "Request goodput (req/s)", fixed(s.requestGoodput()));
        }
        errors(sb, records);
        rule(sb, '=', "");
        return sb.toString();
    }

    private static void stats(StringBuilder sb, String name, LatencyStats st) {
        sb.append(String.format(Locale.ROOT, "%-6s %9.2f %9.2f %9.2f %9.2f %9.2f %9d%n",
                name, st.meanMs(), st.medianMs(), st.p90Ms(), st.p99Ms(), st.stdMs(), st.count()));
    }

    private static String targets(Slo slo) {
        List<String> parts = new ArrayList<>();
        if (slo.ttftMs() != null) {
            parts.add("TTFT <= " + slo.ttftMs() + " ms");
        }
        if (slo.tpotMs() != null) {
            parts.add("TPOT <= " + slo.tpotMs() + " ms");
        }
        if (slo.e2eMs() != null) {
            parts.add("E2E <= " + slo.e2eMs() + " ms");
        }
        return String.join(", ", parts);
    }

    /** The commonest failure reasons with their counts, so a broken server is obvious at a glance. */
    private static void errors(StringBuilder sb, List<RequestRecord> records) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        records.stream().filter(r -> !r.success()).forEach(r -> counts.merge(r.error(), 1, Integer::sum));
        if (counts.isEmpty()) {
            return;
        }
        rule(sb, '-', " errors ");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(MAX_ERRORS_SHOWN)
                .forEach(e -> sb.append(String.format(Locale.ROOT, "%5d x %s%n", e.getValue(), e.getKey())));
    }

    private static void row(StringBuilder sb, String label, String value) {
        sb.append(String.format(Locale.ROOT, "%-40s %s%n", label + ":", value));
    }

    private static void rule(StringBuilder sb, char c, String title) {
        int side = (WIDTH - title.length()) / 2;
        sb.append(String.valueOf(c).repeat(side)).append(title)
                .append(String.valueOf(c).repeat(WIDTH - side - title.length())).append('\n');
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
