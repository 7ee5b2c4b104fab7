package io.podserve.units.check;

import java.util.List;
import java.util.Locale;

/**
 * What {@link ModelCheck} measured, per prompt and overall.
 *
 * @param prompts   one entry per reference prompt
 * @param tolerance the bound on max |Δlogit| for prefill and teacher-forced decode
 */
public record CheckReport(List<PromptResult> prompts, double tolerance) {

    /**
     * @param prompt         prompt index
     * @param length         prompt tokens
     * @param prefillMaxDiff max |Δ| over every prompt position's logits
     * @param decodeMaxDiff  max |Δ| over the teacher-forced decode steps' logits
     * @param greedyChecked  greedy steps compared: those before the first whose reference margin is small
     * @param greedyAgreed   leading steps of those where our greedy token equals the reference's
     */
    public record PromptResult(int prompt, int length, double prefillMaxDiff, double decodeMaxDiff,
            int greedyChecked, int greedyAgreed) {

        public boolean greedyOk() {
            return greedyAgreed == greedyChecked;
        }
    }

    public CheckReport {
        prompts = List.copyOf(prompts);
    }

    public double prefillMaxDiff() {
        return prompts.stream().mapToDouble(PromptResult::prefillMaxDiff).max().orElse(0);
    }

    public double decodeMaxDiff() {
        return prompts.stream().mapToDouble(PromptResult::decodeMaxDiff).max().orElse(0);
    }

    /** Both max |Δ| within tolerance, and greedy decoding agrees wherever the reference's choice was clear. */
    public boolean passed() {
        return prefillMaxDiff() <= tolerance && decodeMaxDiff() <= tolerance
                && prompts.stream().allMatch(PromptResult::greedyOk);
    }

    /** One line per prompt and a verdict. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        for (PromptResult p : prompts) {
            s.append(String.format(Locale.ROOT, "prompt %d (%d tokens): prefill max|Δ| %.3g, decode max|Δ| %.3g,"
                    + " greedy %d/%d%n", p.prompt(), p.length(), p.prefillMaxDiff(), p.decodeMaxDiff(),
                    p.greedyAgreed(), p.greedyChecked()));
        }
        s.append(String.format(Locale.ROOT, "%s: prefill max|Δ| %.3g, decode max|Δ| %.3g (tolerance %.1g)",
                passed() ? "PASSED" : "FAILED", prefillMaxDiff(), decodeMaxDiff(), tolerance));
        return s.toString();
    }
}
