package io.podserve.model.tokenizer;

/**
 * Splits on a pattern's matches with a {@link SplitBehavior}: HF's {@code Split} pre-tokenizer,
 * and the {@code Digits} one (each numeric code point a match).
 */
record SplitPreTokenizer(MatchFinder finder, SplitBehavior behavior, boolean invert)
        implements PreTokenizer {

    static SplitPreTokenizer digits(boolean individualDigits) {
        return new SplitPreTokenizer(
                new MatchFinder.CodePoints(UnicodeProps::isNumeric),
                individualDigits ? SplitBehavior.ISOLATED : SplitBehavior.CONTIGUOUS,
                false);
    }

    @Override
    public void split(String text, boolean atStart, Sink out) {
        IntList matches = new IntList(16);
        finder.find(text, matches);
        behavior.apply(text.length(), matches, invert,
                (start, end) -> out.piece(text.substring(start, end), atStart && start == 0));
    }
}
