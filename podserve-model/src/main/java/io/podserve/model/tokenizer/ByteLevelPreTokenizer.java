package io.podserve.model.tokenizer;

/**
 * HF's {@code ByteLevel} pre-tokenizer: optionally adds a leading space and splits with the GPT-2
 * regex, then writes every piece's UTF-8 bytes in the {@link ByteLevelAlphabet}.
 */
record ByteLevelPreTokenizer(boolean addPrefixSpace, boolean useRegex) implements PreTokenizer {
    private static final SplitPreTokenizer GPT2_SPLIT = new SplitPreTokenizer(
            new MatchFinder.Regex(OnigRegex.compile(
                    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+")),
            SplitBehavior.ISOLATED,
            false);

    @Override
    public void split(String text, boolean atStart, Sink out) {
        // NOTE: HF adds the space to every segment (each stretch between added tokens), not only
        // to the first one; so does this.
        String spaced = addPrefixSpace && !text.startsWith(" ") ? " " + text : text;
        if (useRegex) {
            GPT2_SPLIT.split(spaced, atStart,
                    (piece, start) -> out.piece(ByteLevelAlphabet.encode(piece), start));
        } else {
            out.piece(ByteLevelAlphabet.encode(spaced), atStart);
        }
    }
}
