package io.podserve.model.weights;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The message for a tensor that is not in a checkpoint, with the existing names it was most
 * likely meant to be: a name differing only in its prefix ({@code layers.0…} for
 * {@code model.layers.0…}), one with the same last two components ({@code gate_proj.weight}), or
 * one a few edits away ({@code q_proj} for {@code q_a_proj}).
 */
final class MissingTensor {
    private static final int NUM_SUGGESTIONS = 3;

    private MissingTensor() {
    }

    /** "no tensor named X among its N tensors; closest names: a, b, c. …" (the caller adds the file). */
    static String describe(String wanted, Collection<String> names) {
        return "no tensor named " + wanted + " among its " + names.size() + " tensors; "
                + suggestions(wanted, names)
                + ". The checkpoint may be of another architecture or revision than config.json says";
    }

    /** "closest names: a, b, c", or a sample of the names when none is close. */
    static String suggestions(String wanted, Collection<String> names) {
        if (names.isEmpty()) {
            return "it holds no tensors at all";
        }
        List<String> closest = closest(wanted, names);
        if (closest.isEmpty()) {
            return "no name is close; its names look like "
                    + names.stream().sorted().limit(NUM_SUGGESTIONS).collect(Collectors.joining(", "));
        }
        return "closest names: " + String.join(", ", closest);
    }

    private record Candidate(String name, int distance) {
    }

    static List<String> closest(String wanted, Collection<String> names) {
        int maxDistance = Math.max(3, wanted.length() / 4);
        String wantedTail = lastComponents(wanted, 2);
        return names.stream()
                .map(n -> new Candidate(n, editDistance(wanted, n)))
                .filter(c -> c.distance <= maxDistance || c.name.endsWith(wanted) || wanted.endsWith(c.name)
                        || lastComponents(c.name, 2).equals(wantedTail))
                .sorted(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::name))
                .limit(NUM_SUGGESTIONS)
                .map(Candidate::name)
                .toList();
    }

    private static String lastComponents(String name, int numComponents) {
        int start = name.length();
        for (int i = 0; i < numComponents && start > 0; i++) {
            start = name.lastIndexOf('.', start - 1);
        }
        return name.substring(start + 1);
    }

    /** Levenshtein distance, two rows at a time. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
