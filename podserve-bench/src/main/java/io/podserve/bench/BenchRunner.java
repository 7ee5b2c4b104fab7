package io.podserve.bench;

import io.podserve.bench.client.RequestRecord;
import io.podserve.bench.client.StreamingClient;
import io.podserve.bench.report.BenchSummary;
import io.podserve.bench.workload.ArrivalSchedule;
import io.podserve.bench.workload.BenchRequest;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a benchmark: sends each request at its scheduled time on its own virtual thread, waits for
 * all of them, and summarizes. The calling thread paces the sends; a single watchdog thread
 * interrupts requests that outlive the timeout, so a run always ends.
 */
public final class BenchRunner {
    private BenchRunner() {
    }

    /** Runs {@code config} to the end; failed requests are in the result, never thrown. */
    public static BenchResult run(BenchConfig config) throws InterruptedException {
        return run(config, new BenchListener() { });
    }

    /** As {@link #run(BenchConfig)}, telling {@code listener} how it goes. */
    public static BenchResult run(BenchConfig config, BenchListener listener) throws InterruptedException {
        List<BenchRequest> requests = config.dataset().requests(config.numPrompts(), config.seed());
        double[] offsets = ArrivalSchedule.offsetsSeconds(requests.size(), config.requestRate(),
                config.burstiness(), config.seed());
        HttpClient http = HttpClient.newBuilder()
                // NOTE: HTTP/1.1, one connection per stream, as vLLM's benchmark and most clients
                // of these servers do; no h2c upgrade attempt for servers that do not expect it.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(min(config.requestTimeout(), Duration.ofSeconds(30)))
                .build();
        StreamingClient client = new StreamingClient(http, new StreamingClient.Settings(config.url(), config.model(),
                config.endpoint(), config.apiKey(), config.ignoreEos(), config.temperature(), config.requestTimeout()));
        Run run = new Run(client, config, offsets, listener);
        List<RequestRecord> records;
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            run.warmUp(requests.getFirst());
            listener.started(requests.size());
            records = run.all(requests, workers);
        } finally {
            run.watchdog.shutdownNow();
            http.shutdownNow();
        }
        double durationS = Math.max(1e-9, (run.lastDoneNanos.get() - run.startNanos) / 1e9);
        return new BenchResult(config, BenchSummary.of(records, durationS, config.slo()), records);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The state of one run, shared by the pacing thread and the request threads. */
    private static final class Run {
        final StreamingClient client;
        final BenchConfig config;
        final double[] offsets;
        final BenchListener listener;
        final Semaphore slots;
        final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("bench-watchdog").factory());
        final AtomicLong lastDoneNanos = new AtomicLong();
        long startNanos;

        Run(StreamingClient client, BenchConfig config, double[] offsets, BenchListener listener) {
            this.client = client;
            this.config = config;
            this.offsets = offsets;
            this.listener = listener;
            this.slots = config.maxConcurrency() > 0 ? new Semaphore(config.maxConcurrency(), true) : null;
        }

        /** Sends the warm-up requests one by one, unmeasured; throws on the first that fails. */
        void warmUp(BenchRequest request) {
            for (int i = 0; i < config.warmupRequests(); i++) {
                RequestRecord r = timed(-1, request, System.nanoTime(), 0);
                if (!r.success()) {
                    throw new WarmupFailedException(client.uri(), r.error());
                }
            }
        }

        List<RequestRecord> all(List<BenchRequest> requests, ExecutorService workers) throws InterruptedException {
            startNanos = System.nanoTime();
            lastDoneNanos.set(startNanos);
            List<Future<RequestRecord>> futures = new ArrayList<>(requests.size());
            try {
                for (int i = 0; i < requests.size(); i++) {
                    long waitNanos = startNanos + (long) (offsets[i] * 1e9) - System.nanoTime();
                    if (waitNanos > 0) {
                        Thread.sleep(Duration.ofNanos(waitNanos));
                    }
                    int index = i;
                    futures.add(workers.submit(() -> one(index, requests.get(index))));
                }
                List<RequestRecord> records = new ArrayList<>(futures.size());
                for (Future<RequestRecord> f : futures) {
                    records.add(f.get());
                }
                return records;
            } catch (ExecutionException e) {
                throw new IllegalStateException("a benchmark request thread failed", e.getCause());
            } finally {
                futures.forEach(f -> f.cancel(true)); // no-op once all are done; stops them on interrupt
            }
        }

        private RequestRecord one(int index, BenchRequest request) throws InterruptedException {
            if (slots != null) {
                slots.acquire();
            }
            try {
                RequestRecord record = timed(index, request, startNanos, offsets[index]);
                lastDoneNanos.accumulateAndGet(System.nanoTime(), Math::max);
                listener.requestDone(record);
                return record;
            } finally {
                if (slots != null) {
                    slots.release();
                }
            }
        }

        /** Sends one request under the timeout: the watchdog interrupts it, which ends its I/O. */
        private RequestRecord timed(int index, BenchRequest request, long fromNanos, double scheduledS) {
            Thread self = Thread.currentThread();
            AtomicBoolean timedOut = new AtomicBoolean();
            ScheduledFuture<?> alarm = watchdog.schedule(() -> {
                timedOut.set(true);
                self.interrupt();
            }, config.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
            RequestRecord record = client.send(index, request, fromNanos, scheduledS);
            alarm.cancel(false);
            Thread.interrupted(); // an alarm that fired as the request ended must not leak into the next wait
            if (timedOut.get() && !record.success()) {
                int chunks = record.ttftS() == null ? 0 : record.itlS().size() + 1;
                return record.failed("timed out after " + config.requestTimeout().toMillis() / 1000.0 + " s ("
                        + chunks + " text chunks received)");
            }
            return record;
        }
    }
}
