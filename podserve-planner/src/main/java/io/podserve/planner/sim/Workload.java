package io.podserve.planner.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where requests come from: an arrival process (Poisson, gamma-distributed gaps for bursts, or a
 * trace of timestamps and lengths) and, except for traces, prompt and output lengths drawn
 * uniformly within {@code ±spread} of their means.
 *
 * @param arrivals   the arrival process
 * @param burstCv    coefficient of variation of the gaps for {@link Arrivals#GAMMA} (1 = Poisson)
 * @param inputLen   mean prompt tokens
 * @param outputLen  mean output tokens
 * @param spread     relative half-width of the uniform length distributions, in [0, 1)
 * @param trace      the trace's requests (for {@link Arrivals#TRACE}), arrival times from 0
 */
public record Workload(Arrivals arrivals, double burstCv, int inputLen, int outputLen, double spread,
                       List<RequestSpec> trace) {

    /** How requests arrive. */
    public enum Arrivals { POISSON, GAMMA, TRACE }

    public Workload {
        trace = trace == null ? List.of() : List.copyOf(trace);
        if (arrivals == Arrivals.TRACE && trace.isEmpty()) {
            throw new IllegalArgumentException("a trace workload needs at least one request");
        }
        if (spread < 0 || spread >= 1) {
            throw new IllegalArgumentException("length spread must be in [0, 1), got " + spread);
        }
        if (arrivals == Arrivals.GAMMA && !(burstCv > 0)) {
            throw new IllegalArgumentException("gamma arrivals need a coefficient of variation > 0, got " + burstCv);
        }
        if (arrivals != Arrivals.TRACE && (inputLen < 1 || outputLen < 1)) {
            throw new IllegalArgumentException("input and output lengths must be >= 1, got " + inputLen + ", " + outputLen);
        }
    }

    public static Workload poisson(int inputLen, int outputLen) {
        return new Workload(Arrivals.POISSON, 1, inputLen, outputLen, 0, List.of());
    }

    /**
     * {@code n} requests arriving at {@code rate} per second on average. A trace is replayed in
     * order (cycled when n exceeds it) with its gaps scaled so that it runs at {@code rate}.
     */
    public RequestSpec[] generate(double rate, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        RequestSpec[] out = new RequestSpec[n];
        if (arrivals == Arrivals.TRACE) {
            double span = Math.max(trace.getLast().arrival() - trace.getFirst().arrival(), 1e-9);
            double traceRate = trace.size() > 1 ? (trace.size() - 1) / span : rate;
            double scale = traceRate / rate;
            double offset = 0;
            for (int i = 0; i < n; i++) {
                RequestSpec r = trace.get(i % trace.size());
                if (i > 0 && i % trace.size() == 0) {
                    offset = out[i - 1].arrival() + scale / traceRate;
                }
                out[i] = new RequestSpec(offset + (r.arrival() - trace.getFirst().arrival()) * scale, r.input(), r.output());
            }
            return out;
        }
        double t = 0;
        for (int i = 0; i < n; i++) {
            t += arrivals == Arrivals.POISSON ? -Math.log(1 - random.nextDouble()) / rate : gammaGap(random, rate);
            out[i] = new RequestSpec(t, length(random, inputLen), length(random, outputLen));
        }
        return out;
    }

    /** Mean prompt tokens of the requests this workload draws. */
    public double meanInput() {
        return arrivals == Arrivals.TRACE ? trace.stream().mapToInt(RequestSpec::input).average().orElse(1) : inputLen;
    }

    /** Mean output tokens. */
    public double meanOutput() {
        return arrivals == Arrivals.TRACE ? trace.stream().mapToInt(RequestSpec::output).average().orElse(1) : outputLen;
    }

    /** Longest request (prompt plus output) the workload can draw. */
    public int maxLength() {
        if (arrivals == Arrivals.TRACE) {
            return trace.stream().mapToInt(r -> r.input() + r.output()).max().orElse(2);
        }
        return (int) Math.ceil(inputLen * (1 + spread)) + (int) Math.ceil(outputLen * (1 + spread));
    }

    private int length(SplittableRandom random, int mean) {
        if (spread == 0) {
            return mean;
        }
        double lo = mean * (1 - spread);
        double hi = mean * (1 + spread);
        return Math.max(1, (int) Math.round(lo + random.nextDouble() * (hi - lo)));
    }

    /** A gap of a gamma distribution with mean 1/rate and the configured CV (Marsaglia–Tsang). */
    private double gammaGap(SplittableRandom random, double rate) {
        double shape = 1 / (burstCv * burstCv);
        double scale = 1 / (rate * shape);
        return gamma(random, shape) * scale;
    }

    private static double gamma(SplittableRandom random, double shape) {
        if (shape < 1) {
            return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = gaussian(random);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * A trace from a CSV file of {@code timestamp_seconds,input_tokens,output_tokens} lines (a
     * header line before the first row and lines starting with # are skipped).
     */
    public static Workload trace(Path csv) {
        List<RequestSpec> rows = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read trace " + csv + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || (rows.isEmpty() && Character.isLetter(line.charAt(0)))) {
                continue;
            }
            String[] f = line.split("\\s*,\\s*");
            try {
                if (f.length != 3) {
                    throw new IllegalArgumentException("expected 3 fields");
                }
                rows.add(new RequestSpec(Double.parseDouble(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": expected timestamp_seconds,input_tokens,"
                        + "output_tokens, got '" + line + "' (" + e.getMessage() + ")");
            }
        }
        rows.sort((a, b) -> Double.compare(a.arrival(), b.arrival()));
        return new Workload(Arrivals.TRACE, 1, 0, 0, 0, rows);
    }
}
