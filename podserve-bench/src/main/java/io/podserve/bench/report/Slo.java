package io.podserve.bench.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.podserve.bench.client.RequestRecord;

/**
 * Latency targets a request must all meet to count towards goodput; a null target is not checked.
 * A request meets a target when its value is at most the target (as vLLM's {@code --goodput}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Slo(@JsonProperty("ttft_ms") Double ttftMs,
                  @JsonProperty("tpot_ms") Double tpotMs,
                  @JsonProperty("e2e_ms") Double e2eMs) {
    public static final Slo NONE = new Slo(null, null, null);

    public Slo {
        check("--slo-ttft-ms", ttftMs);
        check("--slo-tpot-ms", tpotMs);
        check("--slo-e2e-ms", e2eMs);
    }

    /** Whether any target is set; without one there is no goodput to report. */
    public boolean any() {
        return ttftMs != null || tpotMs != null || e2eMs != null;
    }

    /** Whether {@code r} succeeded and met every target set. */
    public boolean met(RequestRecord r) {
        return r.success()
                && within(r.ttftS(), ttftMs)
                && within(r.tpotS(), tpotMs)
                && within(r.e2eS(), e2eMs);
    }

    private static boolean within(double seconds, Double targetMs) {
        return targetMs == null || seconds * 1000 <= targetMs;
    }

    private static void check(String option, Double ms) {
        if (ms != null && !(ms > 0 && Double.isFinite(ms))) {
            throw new IllegalArgumentException(option + " must be a positive number of milliseconds, got " + ms);
        }
    }
}
