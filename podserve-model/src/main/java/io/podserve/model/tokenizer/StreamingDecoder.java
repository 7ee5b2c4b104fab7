package io.podserve.model.tokenizer;

/**
 * Decodes ids one at a time as a model generates them. {@link #next} returns the text that the
 * new id completes, which may be empty: part of a UTF-8 character, or of a byte-fallback run, is
 * held back until it is complete. The outputs of every {@code next} plus {@link #flush} always
 * concatenate to exactly what {@link Tokenizer#decode(int[], boolean)} gives for all the ids.
 * One instance serves one stream and is not thread-safe.
 */
public final class StreamingDecoder {
    private final Vocabulary vocabulary;
    private final boolean skipSpecialTokens;
    private final DecodeStage.Output output = new DecodeStage.Output();
    private final DecodeStage first;
    private boolean flushed;

    StreamingDecoder(Vocabulary vocabulary, DecoderChain chain, boolean skipSpecialTokens) {
        this.vocabulary = vocabulary;
        this.skipSpecialTokens = skipSpecialTokens;
        this.first = chain.build(output);
    }

    /**
     * Adds one id and returns the newly completed text, possibly "".
     *
     * @throws IllegalArgumentException for an id outside the vocabulary
     * @throws IllegalStateException after {@link #flush}
     */
    public String next(int id) {
        push(id);
        return output.take();
    }

    /**
     * Ends the stream and returns the text still held back; an incomplete UTF-8 sequence at the
     * end becomes U+FFFD, as in {@link Tokenizer#decode}. Later calls return "".
     */
    public String flush() {
        if (!flushed) {
            flushed = true;
            first.finish();
        }
        return output.take();
    }

    /** Feeds one id without collecting its text: full decoding takes it all at the end. */
    void push(int id) {
        if (flushed) {
            throw new IllegalStateException("this StreamingDecoder was flushed; start a new one per stream");
        }
        String token = vocabulary.token(id);
        if (skipSpecialTokens && vocabulary.isSpecial(id)) {
            return;
        }
        first.startToken();
        first.text(token);
        first.endToken();
    }
}
