package io.podserve.units.check;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.podserve.kernels.Backend;
import io.podserve.model.checkpoint.Checkpoint;
import io.podserve.model.weights.Tensor;
import io.podserve.model.weights.WeightStore;
import io.podserve.units.check.CheckReport.PromptResult;
import io.podserve.units.model.Chunk;
import io.podserve.units.model.Logits;
import io.podserve.units.model.Model;
import io.podserve.units.model.ModelOptions;
import io.podserve.units.model.Sequence;
import io.podserve.units.placement.LocalPlacement;
import io.podserve.units.placement.Placement;

/**
 * Reproduces a reference run of Hugging Face transformers ({@code expected.safetensors}, format in
 * {@code testdata/README.md}) for each prompt: prefill logits at every position, teacher-forced
 * decode logits along the reference's greedy path (one decode step at a time through the KV cache),
 * and free greedy decoding up to the first step whose reference margin is below {@value #MARGIN}.
 * Runs on the caller's thread.
 */
public final class ModelCheck {
    /** The bound on max |Δlogit|: a faithful f32 implementation gets about 1e-4. */
    public static final double TOLERANCE = 2e-3;
    /** Greedy steps whose top-1 minus top-2 reference logit is below this may legitimately flip. */
    public static final double MARGIN = 1e-2;

    private final Model model;
    private final Placement placement;

    public ModelCheck(Model model, Placement placement) {
        this.model = model;
        this.placement = placement;
    }

    /** Opens {@code modelDir}, loads it on {@code backend} and checks it against {@code expectedFile}. */
    public static CheckReport run(Path modelDir, Path expectedFile, Backend backend, ModelOptions options) {
        try (Checkpoint checkpoint = Checkpoint.open(modelDir);
                Model model = Model.load(checkpoint, backend, options);
                WeightStore expected = WeightStore.open(expectedFile)) {
            return new ModelCheck(model, new LocalPlacement()).check(expected);
        }
    }

    /** Checks every prompt {@code p0, p1, …} in {@code expected}. */
    public CheckReport check(WeightStore expected) {
        List<PromptResult> results = new ArrayList<>();
        for (int i = 0; expected.contains("p" + i + ".input_ids"); i++) {
            results.add(checkPrompt(expected, i));
        }
        return new CheckReport(results, TOLERANCE);
    }

    private PromptResult checkPrompt(WeightStore expected, int i) {
        String p = "p" + i + ".";
        int[] prompt = ints(expected.tensor(p + "input_ids"));
        int[] greedy = ints(expected.tensor(p + "greedy"));
        float[] margins = expected.tensor(p + "greedy_margin").toFloatArray();
        Sequence seq = model.newSequence();
        try {
            Logits prefill = model.step(List.of(new Chunk(seq, prompt, true)), placement);
            double prefillDiff = maxDiff(prefill, 0, expected.tensor(p + "logits"), 0, prompt.length);
            Tensor greedyLogits = expected.tensor(p + "greedy_logits");
            double decodeDiff = maxDiff(prefill, prompt.length - 1, greedyLogits, 0, 1);
            for (int j = 1; j < greedy.length; j++) {
                Logits step = model.step(List.of(new Chunk(seq, new int[] {greedy[j - 1]}, false)), placement);
                decodeDiff = Math.max(decodeDiff, maxDiff(step, 0, greedyLogits, j, 1));
            }
            int checked = clearSteps(margins);
            return new PromptResult(i, prompt.length, prefillDiff, decodeDiff, checked,
                    greedyAgreement(prompt, greedy, checked));
        } finally {
            model.release(seq);
        }
    }

    /** Leading greedy steps (of the first {@code steps}) where our argmax equals the reference's token. */
    private int greedyAgreement(int[] prompt, int[] greedy, int steps) {
        if (steps == 0) {
            return 0;
        }
        Sequence seq = model.newSequence();
        try {
            Logits logits = model.step(List.of(new Chunk(seq, prompt, false)), placement);
            for (int j = 0; j < steps; j++) {
                int token = logits.argmax(0);
                if (token != greedy[j]) {
                    return j;
                }
                if (j + 1 < steps) {
                    logits = model.step(List.of(new Chunk(seq, new int[] {token}, false)), placement);
                }
            }
            return steps;
        } finally {
            model.release(seq);
        }
    }

    /** Steps before the first whose reference margin is below {@link #MARGIN}. */
    private static int clearSteps(float[] margins) {
        int n = 0;
        while (n < margins.length && margins[n] >= MARGIN) {
            n++;
        }
        return n;
    }

    /** max |ours[ourRow + r] − theirs[theirRow + r]| over {@code rows} rows. */
    private static double maxDiff(Logits ours, int ourRow, Tensor theirs, int theirRow, int rows) {
        int vocab = ours.vocab();
        if (theirs.dim(theirs.rank() - 1) != vocab) {
            throw new IllegalArgumentException(theirs.name() + " has rows of " + theirs.dim(theirs.rank() - 1)
                    + " logits, the model's vocabulary is " + vocab);
        }
        double max = 0;
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < vocab; t++) {
                double d = Math.abs(ours.get(ourRow + r, t) - theirs.getFloat((long) (theirRow + r) * vocab + t));
                max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
            }
        }
        return max;
    }

    private static int[] ints(Tensor t) {
        int[] out = new int[(int) t.numElements()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.toIntExact(t.getLong(i));
        }
        return out;
    }
}
