package io.podserve.bench.workload;

/**
 * One prompt to send.
 *
 * @param promptLen the prompt's length in tokens as the dataset estimates it; the server's
 *                  {@code usage.prompt_tokens}, when it reports one, replaces it in the results
 * @param outputLen the {@code max_tokens} to request
 */
public record BenchRequest(String prompt, int promptLen, int outputLen) {
    public BenchRequest {
        if (prompt == null || prompt.isEmpty()) {
            throw new IllegalArgumentException("a benchmark prompt must not be empty");
        }
        if (outputLen < 1) {
            throw new IllegalArgumentException("output length must be at least 1, got " + outputLen);
        }
    }
}
