package io.podserve.bench;

import io.podserve.bench.client.Endpoint;
import io.podserve.bench.report.Slo;
import io.podserve.bench.workload.DatasetSpec;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * Everything one benchmark run needs; validated on construction so a bad value fails before any
 * request goes out. Build one with {@link #builder(String, String)}.
 *
 * @param url            the server's base URL ({@code http://host:port}, optionally with {@code /v1})
 * @param apiKey         sent as a bearer token when not null
 * @param requestRate    requests per second; {@link Double#POSITIVE_INFINITY} sends all at once
 * @param burstiness     gamma shape of the gaps between requests, 1 for Poisson
 * @param maxConcurrency most requests in flight at once, 0 for no limit
 * @param ignoreEos      ask the server (vLLM extension) to generate exactly the requested tokens
 * @param requestTimeout a request still running this long after it was sent fails as timed out
 * @param warmupRequests requests sent one after another before the measured run and left out of
 *                       it: they open a connection and load the client's code, and a failing one
 *                       stops the run before it starts (a wrong URL or model fails fast)
 */
public record BenchConfig(String url, String model, Endpoint endpoint, String apiKey, DatasetSpec dataset,
                          int numPrompts, double requestRate, double burstiness, int maxConcurrency, long seed,
                          boolean ignoreEos, double temperature, Duration requestTimeout, Slo slo,
                          int warmupRequests) {
    public BenchConfig {
        checkUrl(url);
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("--model must name the served model");
        }
        if (numPrompts < 1) {
            throw new IllegalArgumentException("--num-prompts must be at least 1, got " + numPrompts);
        }
        if (!(requestRate > 0)) {
            throw new IllegalArgumentException("--request-rate must be positive or inf, got " + requestRate);
        }
        if (!(burstiness > 0) || Double.isInfinite(burstiness)) {
            throw new IllegalArgumentException("--burstiness must be a positive number, got " + burstiness);
        }
        if (maxConcurrency < 0) {
            throw new IllegalArgumentException("--max-concurrency must be 0 (no limit) or positive, got " + maxConcurrency);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("--temperature must be 0 or positive, got " + temperature);
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive, got " + requestTimeout);
        }
        if (warmupRequests < 0) {
            throw new IllegalArgumentException("--warmup must not be negative, got " + warmupRequests);
        }
    }

    /** The record's text with the API key masked, so logs never carry it. */
    @Override
    public String toString() {
        return "BenchConfig[url=" + url + ", model=" + model + ", endpoint=" + endpoint
                + ", apiKey=" + (apiKey == null ? "none" : "***") + ", dataset=" + dataset.describe()
                + ", numPrompts=" + numPrompts + ", requestRate=" + requestRate + ", burstiness=" + burstiness
                + ", maxConcurrency=" + maxConcurrency + ", seed=" + seed + ", ignoreEos=" + ignoreEos
                + ", temperature=" + temperature + ", requestTimeout=" + requestTimeout + ", slo=" + slo
                + ", warmupRequests=" + warmupRequests + "]";
    }

    public static Builder builder(String url, String model) {
        return new Builder(url, model);
    }

    /** {@code --request-rate} as typed: a number or {@code inf}. */
    public static double parseRate(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("inf") || t.equals("infinity")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--request-rate must be a number of requests per second or inf, got '"
                    + text + "'");
        }
    }

    private static void checkUrl(String url) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("--url must be http://HOST:PORT or https://..., got '" + url + "'");
            }
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("--url is not a URL: '" + url + "'");
        }
    }

    /**
     * Defaults: completions endpoint, 100 synthetic prompts of 1024 words asking for 128 tokens, all
     * at once, one warm-up request.
     */
    public static final class Builder {
        private final String url;
        private final String model;
        private Endpoint endpoint = Endpoint.COMPLETIONS;
        private String apiKey;
        private DatasetSpec dataset = DatasetSpec.synthetic(1024, 128);
        private int numPrompts = 100;
        private double requestRate = Double.POSITIVE_INFINITY;
        private double burstiness = 1;
        private int maxConcurrency;
        private long seed;
        private boolean ignoreEos = true;
        private double temperature;
        private Duration requestTimeout = Duration.ofMinutes(10);
        private Slo slo = Slo.NONE;
        private int warmupRequests = 1;

        private Builder(String url, String model) {
            this.url = url;
            this.model = model;
        }

        public Builder endpoint(Endpoint v) { endpoint = v; return this; }
        public Builder apiKey(String v) { apiKey = v; return this; }
        public Builder dataset(DatasetSpec v) { dataset = v; return this; }
        public Builder numPrompts(int v) { numPrompts = v; return this; }
        public Builder requestRate(double v) { requestRate = v; return this; }
        public Builder burstiness(double v) { burstiness = v; return this; }
        public Builder maxConcurrency(int v) { maxConcurrency = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder ignoreEos(boolean v) { ignoreEos = v; return this; }
        public Builder temperature(double v) { temperature = v; return this; }
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        public Builder slo(Slo v) { slo = v; return this; }
        public Builder warmupRequests(int v) { warmupRequests = v; return this; }

        public BenchConfig build() {
            return new BenchConfig(url, model, endpoint, apiKey, dataset, numPrompts, requestRate, burstiness,
                    maxConcurrency, seed, ignoreEos, temperature, requestTimeout, slo, warmupRequests);
        }
    }
}
