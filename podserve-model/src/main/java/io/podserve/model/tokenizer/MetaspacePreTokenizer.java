package io.podserve.model.tokenizer;

/**
 * HF's {@code Metaspace} pre-tokenizer (SentencePiece style): spaces become the replacement
 * character (normally U+2581), which is prepended as the scheme says, and each replacement
 * character then starts a new piece.
 */
record MetaspacePreTokenizer(String replacement, PrependScheme prependScheme, boolean split)
        implements PreTokenizer {

    /** When to put a replacement character in front of a segment. */
    enum PrependScheme {
        /** Every segment that does not already start with one. */
        ALWAYS,
        /** Only the segment at the very start of the input. */
        FIRST,
        NEVER;

        static PrependScheme fromJson(String name) {
            return switch (name) {
                case "always" -> ALWAYS;
                case "first" -> FIRST;
                case "never" -> NEVER;
                default -> null;
            };
        }
    }

    @Override
    public void split(String text, boolean atStart, Sink out) {
        String replaced = text.replace(" ", replacement);
        boolean prepend = switch (prependScheme) {
            case ALWAYS -> true;
            case FIRST -> atStart;
            case NEVER -> false;
        };
        if (prepend && !replaced.startsWith(replacement)) {
            replaced = replacement + replaced;
        }
        if (!split) {
            out.piece(replaced, atStart);
            return;
        }
        IntList matches = new IntList(16);
        new MatchFinder.Literal(replacement).find(replaced, matches);
        String whole = replaced;
        SplitBehavior.MERGED_WITH_NEXT.apply(whole.length(), matches, false,
                (start, end) -> out.piece(whole.substring(start, end), atStart && start == 0));
    }
}
