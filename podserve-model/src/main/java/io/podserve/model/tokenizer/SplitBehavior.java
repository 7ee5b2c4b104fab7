package io.podserve.model.tokenizer;

/**
 * What a split does with the matches it finds ({@code "behavior"} in {@code tokenizer.json}).
 * Works on the text cut into alternating runs: matches and the gaps between them.
 */
enum SplitBehavior {
    /** Drops the matches, keeping only the text between them. */
    REMOVED,
    /** Every match and every gap is a piece of its own. */
    ISOLATED,
    /** A match joins the gap before it. */
    MERGED_WITH_PREVIOUS,
    /** A match joins the gap after it. */
    MERGED_WITH_NEXT,
    /** Adjacent matches join into one piece. */
    CONTIGUOUS;

    /** Receives the pieces as char ranges. */
    @FunctionalInterface
    interface RangeSink {
        void range(int start, int end);
    }

    static SplitBehavior fromJson(String name) {
        return switch (name) {
            case "Removed" -> REMOVED;
            case "Isolated" -> ISOLATED;
            case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> MERGED_WITH_NEXT;
            case "Contiguous" -> CONTIGUOUS;
            default -> null;
        };
    }

    /**
     * Cuts {@code [0, length)} by the given matches (start, end pairs, in order) and sends the
     * resulting non-empty pieces, left to right.
     *
     * @param invert whether the matches are the gaps and the gaps the matches
     */
    void apply(int length, IntList matches, boolean invert, RangeSink out) {
        IntList runs = runs(length, matches, invert);
        int pieceStart = -1;
        int pieceEnd = -1;
        boolean previousMatched = false;
        for (int i = 0; i < runs.size(); i += 3) {
            int start = runs.get(i);
            int end = runs.get(i + 1);
            boolean matched = runs.get(i + 2) == 1;
            if (pieceStart >= 0 && joinsPrevious(matched, previousMatched)) {
                pieceEnd = end;
            } else {
                emit(pieceStart, pieceEnd, out);
                pieceStart = start;
                pieceEnd = end;
            }
            boolean dropped = this == REMOVED && matched;
            if (dropped) {
                pieceStart = -1;
            }
            previousMatched = matched;
        }
        emit(pieceStart, pieceEnd, out);
    }

    /** Whether a run joins the piece holding the run before it. */
    private boolean joinsPrevious(boolean matched, boolean previousMatched) {
        return switch (this) {
            case REMOVED, ISOLATED -> false;
            case MERGED_WITH_PREVIOUS -> matched && !previousMatched;
            case MERGED_WITH_NEXT -> previousMatched && !matched;
            case CONTIGUOUS -> matched == previousMatched;
        };
    }

    private static void emit(int start, int end, RangeSink out) {
        if (start >= 0 && end > start) {
            out.range(start, end);
        }
    }

    /** The alternating runs as (start, end, 1 if match else 0) triples. */
    private static IntList runs(int length, IntList matches, boolean invert) {
        IntList runs = new IntList(matches.size() * 3 + 3);
        int previousEnd = 0;
        for (int i = 0; i < matches.size(); i += 2) {
            int start = matches.get(i);
            if (start > previousEnd) {
                addRun(runs, previousEnd, start, invert);
            }
            addRun(runs, start, matches.get(i + 1), !invert);
            previousEnd = matches.get(i + 1);
        }
        if (previousEnd < length) {
            addRun(runs, previousEnd, length, invert);
        }
        return runs;
    }

    private static void addRun(IntList runs, int start, int end, boolean matched) {
        runs.add(start);
        runs.add(end);
        runs.add(matched ? 1 : 0);
    }
}
