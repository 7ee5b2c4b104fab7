package io.podserve.bench.client;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What one request measured. Times are seconds; offsets count from the start of the run.
 *
 * @param scheduledS         when the arrival schedule meant to send it
 * @param sentS              when it was sent (later than scheduled while {@code --max-concurrency} held it back)
 * @param httpStatus         the response status, 0 when no response came
 * @param ttftS              send to the first chunk carrying text; null when none came
 * @param itlS               gaps between consecutive chunks carrying text
 * @param e2eS               send to the last chunk carrying text; null when none came
 * @param promptTokens       from the server's usage when given, else the dataset's estimate
 * @param outputTokens       from the server's usage when given, else the count of chunks carrying text
 * @param outputTokensSource {@code usage} or {@code chunks}: where {@code outputTokens} came from
 * @param error              why it failed, null when it succeeded
 */
public record RequestRecord(
        int index,
        @JsonProperty("scheduled_s") double scheduledS,
        @JsonProperty("sent_s") double sentS,
        boolean success,
        @JsonProperty("http_status") int httpStatus,
        @JsonProperty("ttft_s") Double ttftS,
        @JsonProperty("itl_s") List<Double> itlS,
        @JsonProperty("e2e_s") Double e2eS,
        @JsonProperty("prompt_tokens") int promptTokens,
        @JsonProperty("output_tokens") int outputTokens,
        @JsonProperty("output_tokens_source") String outputTokensSource,
        String error) {

    /** This record marked failed for {@code reason}, keeping what was measured before. */
    public RequestRecord failed(String reason) {
        return new RequestRecord(index, scheduledS, sentS, false, httpStatus, ttftS, itlS, e2eS, promptTokens,
                outputTokens, outputTokensSource, reason);
    }

    /**
     * Time per output token after the first: {@code (e2e - ttft) / (outputTokens - 1)}, 0 for a
     * single-token output (vLLM's definition, so the two benchmarks report the same number).
     */
    @JsonProperty("tpot_s")
    public double tpotS() {
        return outputTokens > 1 && ttftS != null ? (e2eS - ttftS) / (outputTokens - 1) : 0;
    }
}
