package io.podserve.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.bench.client.RequestRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * The numbers of one run, defined as vLLM's serving benchmark defines them so results compare:
 * throughputs divide by the run's duration (first send to last completion); token totals and
 * latencies count successful requests only; TPOT statistics skip single-token outputs; goodput is
 * successful requests meeting every SLO per second, and SLO attainment their share of all requests.
 *
 * @param sloAttainment null when no SLO was given
 * @param requestGoodput null when no SLO was given
 */
public record BenchSummary(int completed, int failed, double durationS, long totalInputTokens,
                           long totalOutputTokens, double requestThroughput, double inputThroughput,
                           double outputThroughput, double totalTokenThroughput, LatencyStats ttft,
                           LatencyStats tpot, LatencyStats itl, LatencyStats e2e, Slo slo, int goodRequests,
                           Double sloAttainment, Double requestGoodput) {

    public static BenchSummary of(List<RequestRecord> records, double durationS, Slo slo) {
        if (!(durationS > 0)) {
            throw new IllegalArgumentException("run duration must be positive, got " + durationS);
        }
        List<Double> ttfts = new ArrayList<>();
        List<Double> tpots = new ArrayList<>();
        List<Double> itls = new ArrayList<>();
        List<Double> e2es = new ArrayList<>();
        int completed = 0;
        int good = 0;
        long inputTokens = 0;
        long outputTokens = 0;
        for (RequestRecord r : records) {
            if (!r.success()) {
                continue;
            }
            completed++;
            inputTokens += r.promptTokens();
            outputTokens += r.outputTokens();
            ttfts.add(r.ttftS());
            e2es.add(r.e2eS());
            itls.addAll(r.itlS());
            if (r.outputTokens() > 1) {
                tpots.add(r.tpotS());
            }
            if (slo.any() && slo.met(r)) {
                good++;
            }
        }
        return new BenchSummary(completed, records.size() - completed, durationS, inputTokens, outputTokens,
                completed / durationS, inputTokens / durationS, outputTokens / durationS,
                (inputTokens + outputTokens) / durationS, LatencyStats.ofSeconds(ttfts),
                LatencyStats.ofSeconds(tpots), LatencyStats.ofSeconds(itls), LatencyStats.ofSeconds(e2es), slo,
                good, slo.any() ? (double) good / records.size() : null, slo.any() ? good / durationS : null);
    }

    /**
     * The summary as one flat JSON object, under the key names vLLM's {@code --save-result} uses
     * where the two share a metric ({@code request_throughput}, {@code p99_ttft_ms}, ...).
     */
    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        o.put("completed", completed);
        o.put("failed", failed);
        o.put("duration", durationS);
        o.put("total_input_tokens", totalInputTokens);
        o.put("total_output_tokens", totalOutputTokens);
        o.put("request_throughput", requestThroughput);
        o.put("input_throughput", inputThroughput);
        o.put("output_throughput", outputThroughput);
        o.put("total_token_throughput", totalTokenThroughput);
        putStats(o, "ttft", ttft);
        putStats(o, "tpot", tpot);
        putStats(o, "itl", itl);
        putStats(o, "e2el", e2e);
        if (slo.any()) {
            o.set("slo", json.valueToTree(slo));
            o.put("good_requests", goodRequests);
            o.put("slo_attainment", sloAttainment);
            o.put("request_goodput", requestGoodput);
        }
        return o;
    }

    private static void putStats(ObjectNode o, String name, LatencyStats s) {
        o.put("mean_" + name + "_ms", s.meanMs());
        o.put("std_" + name + "_ms", s.stdMs());
        o.put("median_" + name + "_ms", s.medianMs());
        o.put("p90_" + name + "_ms", s.p90Ms());
        o.put("p99_" + name + "_ms", s.p99Ms());
    }
}
