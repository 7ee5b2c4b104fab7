package io.podserve.model.tokenizer;

import java.util.List;

/**
 * Cuts a normalized segment into the pieces the model tokenizes one at a time, as
 * {@code "pre_tokenizer"} says. Pieces are handed to a sink rather than collected, so a chain of
 * pre-tokenizers builds no intermediate lists.
 */
interface PreTokenizer {
    /** Receives pieces; empty pieces are never sent. */
    @FunctionalInterface
    interface Sink {
        /**
         * @param atStart whether the piece begins at offset 0 of the original input, which
         *     Metaspace's {@code prepend_scheme: "first"} looks at
         */
        void piece(String text, boolean atStart);
    }

    void split(String text, boolean atStart, Sink out);

    /** Applies each pre-tokenizer to every piece the previous one produced. */
    record Sequence(List<PreTokenizer> steps) implements PreTokenizer {
        @Override
        public void split(String text, boolean atStart, Sink out) {
            splitFrom(0, text, atStart, out);
        }

        private void splitFrom(int step, String text, boolean atStart, Sink out) {
            if (step == steps.size()) {
                out.piece(text, atStart);
            } else {
                steps.get(step).split(text, atStart, (piece, start) -> splitFrom(step + 1, piece, start, out));
            }
        }
    }
}
