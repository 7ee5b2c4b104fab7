package io.podserve.model.tokenizer;

/**
 * Text to ids, in HF's order: cut out raw added tokens; normalize each remaining segment and cut
 * out normalized added tokens; pre-tokenize what is left into pieces; BPE each piece; add the
 * post-processor's special tokens if asked.
 */
final class EncodePipeline {
    private final AddedVocabulary added;
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final BpeModel model;
    private final PostProcessor postProcessor;

    /**
     * @param normalizer null for none
     * @param preTokenizer null for none
     */
    EncodePipeline(AddedVocabulary added, Normalizer normalizer, PreTokenizer preTokenizer,
            BpeModel model, PostProcessor postProcessor) {
        this.added = added;
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.postProcessor = postProcessor;
    }

    int[] encode(String text, boolean addSpecialTokens) {
        IntList ids = new IntList(text.length() / 3 + 8);
        added.splitRaw(text, (start, end, tokenId) -> {
            if (tokenId >= 0) {
                ids.add(tokenId);
            } else {
                encodeSegment(text.substring(start, end), start == 0, ids);
            }
        });
        return addSpecialTokens ? postProcessor.process(ids.toArray()) : ids.toArray();
    }

    private void encodeSegment(String raw, boolean atStart, IntList ids) {
        String normalized = normalizer == null ? raw : normalizer.normalize(raw);
        added.splitNormalized(normalized, (start, end, tokenId) -> {
            if (tokenId >= 0) {
                ids.add(tokenId);
            } else {
                encodePlain(normalized.substring(start, end), atStart && start == 0, ids);
            }
        });
    }

    private void encodePlain(String text, boolean atStart, IntList ids) {
        if (preTokenizer == null) {
            model.tokenize(text, ids);
        } else {
            preTokenizer.split(text, atStart, (piece, pieceAtStart) -> model.tokenize(piece, ids));
        }
    }
}
