package io.podserve.server;

import io.podserve.engine.api.EngineClient;
import io.podserve.engine.api.EngineOverloadedException;
import io.podserve.engine.api.EngineStats;
import io.podserve.engine.api.FinishReason;
import io.podserve.engine.api.GenerationEvent;
import io.podserve.engine.api.GenerationHandle;
import io.podserve.engine.api.GenerationRequest;
import io.podserve.engine.api.RequestTooLargeException;
import io.podserve.engine.api.SamplingOptions;
import io.podserve.engine.api.TokenOutput;
import io.podserve.model.tokenizer.Tokenizer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model-free engine for the HTTP layer's tests: it echoes the prompt's tokens back in order (so
 * output is deterministic and readable), one token per {@code tokenDelay}, honouring max_tokens,
 * stop strings, logprobs (made-up values), cancellation, a queue limit and graceful shutdown.
 */
final class FakeEngine implements EngineClient {
    private final Tokenizer tokenizer;
    private final int maxModelLen;
    private final int maxRequests;
    private final Duration tokenDelay;
    private final Set<FakeRequest> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger numCancelled = new AtomicInteger();
    private final AtomicInteger numSubmitted = new AtomicInteger();
    private volatile boolean accepting = true;
    private volatile long abortAtNanos = Long.MAX_VALUE;

    FakeEngine(Tokenizer tokenizer, int maxModelLen, int maxRequests, Duration tokenDelay) {
        this.tokenizer = tokenizer;
        this.maxModelLen = maxModelLen;
        this.maxRequests = maxRequests;
        this.tokenDelay = tokenDelay;
    }

    @Override
    public GenerationHandle submit(GenerationRequest request) {
        if (request.prompt().length + request.sampling().maxTokens() > maxModelLen) {
            throw new RequestTooLargeException("prompt plus max_tokens exceed " + maxModelLen);
        }
        if (!accepting) {
            throw new EngineOverloadedException("shutting down");
        }
        if (live.size() >= maxRequests) {
            throw new EngineOverloadedException(live.size() + " requests running");
        }
        numSubmitted.incrementAndGet();
        FakeRequest r = new FakeRequest(request);
        live.add(r);
        Thread.ofVirtual().name("fake-" + request.id()).start(r::run);
        return r;
    }

    int numCancelled() {
        return numCancelled.get();
    }

    int numSubmitted() {
        return numSubmitted.get();
    }

    @Override
    public int maxModelLen() {
        return maxModelLen;
    }

    @Override
    public EngineStats stats() {
        return new EngineStats(live.size(), 0, live.size() / (double) maxRequests, 10, 4, 0, 0);
    }

    @Override
    public void shutdown(Duration grace) {
        accepting = false;
        abortAtNanos = System.nanoTime() + grace.toNanos();
        long deadline = abortAtNanos + TimeUnit.SECONDS.toNanos(5);
        while (!live.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class FakeRequest implements GenerationHandle {
        private final GenerationRequest request;
        private final BlockingQueue<GenerationEvent> events = new LinkedBlockingQueue<>();
        private final AtomicBoolean cancelled = new AtomicBoolean();

        FakeRequest(GenerationRequest request) {
            this.request = request;
        }

        void run() {
            SamplingOptions s = request.sampling();
            int[] prompt = request.prompt();
            List<Integer> out = new ArrayList<>();
            String text = "";
            FinishReason reason = FinishReason.LENGTH;
            try {
                while (out.size() < s.maxTokens()) {
                    Thread.sleep(tokenDelay);
                    if (cancelled.get() || System.nanoTime() > abortAtNanos) {
                        reason = FinishReason.ABORT;
                        break;
                    }
                    int token = prompt[out.size() % prompt.length];
                    out.add(token);
                    String full = tokenizer.decode(out.stream().mapToInt(Integer::intValue).toArray(), true);
                    int stopAt = stopIndex(full, s.stop());
                    TokenOutput t = s.topLogprobs() < 0 ? new TokenOutput(token, Double.NaN, new int[0], new double[0])
                            : new TokenOutput(token, -0.5, topTokens(token, s.topLogprobs()), topLogprobs(s.topLogprobs()));
                    if (stopAt >= 0) {
                        events.add(new GenerationEvent.Delta(full.substring(Math.min(text.length(), stopAt), stopAt),
                                List.of(t)));
                        reason = FinishReason.STOP;
                        break;
                    }
                    events.add(new GenerationEvent.Delta(full.substring(text.length()), List.of(t)));
                    text = full;
                }
            } catch (InterruptedException e) {
                reason = FinishReason.ABORT;
            }
            live.remove(this);
            events.add(new GenerationEvent.Finished(reason, prompt.length, out.size(), 0));
        }

        private static int stopIndex(String text, List<String> stops) {
            int best = -1;
            for (String stop : stops) {
                int i = text.indexOf(stop);
                if (i >= 0 && (best < 0 || i < best)) {
                    best = i;
                }
            }
            return best;
        }

        private static int[] topTokens(int token, int n) {
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                ids[i] = token + i;
            }
            return ids;
        }

        private static double[] topLogprobs(int n) {
            double[] lp = new double[n];
            for (int i = 0; i < n; i++) {
                lp[i] = -0.5 - i;
            }
            return lp;
        }

        @Override
        public String id() {
            return request.id();
        }

        @Override
        public GenerationEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
            return events.poll(timeout, unit);
        }

        @Override
        public void cancel() {
            if (cancelled.compareAndSet(false, true)) {
                numCancelled.incrementAndGet();
            }
        }
    }
}
