package io.podserve.model.tokenizer;

/**
 * One step of a decoder chain, fed as a stream. HF decoders map a list of token strings to a new
 * list; here each step sees the list as events (a token starts, some of its text, it ends, the
 * list ends) and passes its own output list on the same way. Steps that join tokens (ByteLevel,
 * Fuse) emit one token whose text grows as input arrives, so text flows to the caller as soon as
 * no later token can change it; full decoding is the same stream run to its end.
 */
abstract class DecodeStage {
    /** The step this one feeds; null only for the {@link Output}. */
    protected final DecodeStage next;

    DecodeStage(DecodeStage next) {
        this.next = next;
    }

    void startToken() {
        next.startToken();
    }

    /** More text of the current token; never splits a surrogate pair. */
    abstract void text(String chunk);

    void endToken() {
        next.endToken();
    }

    /** The list ends: pass on whatever is still held back. */
    void finish() {
        next.finish();
    }

    /** The end of every chain: HF joins the final list with no separator. */
    static final class Output extends DecodeStage {
        private final StringBuilder text = new StringBuilder();

        Output() {
            super(null);
        }

        @Override
        void startToken() {}

        @Override
        void text(String chunk) {
            text.append(chunk);
        }

        @Override
        void endToken() {}

        @Override
        void finish() {}

        /** The text produced since the last call. */
        String take() {
            String taken = text.toString();
            text.setLength(0);
            return taken;
        }
    }

    /**
     * A step whose output is a single token, as ByteLevel and Fuse produce: the token opens with
     * the first input and closes when the list ends (even an empty list yields it, as in HF).
     */
    abstract static class Joining extends DecodeStage {
        private boolean opened;

        Joining(DecodeStage next) {
            super(next);
        }

        @Override
        void startToken() {
            open();
        }

        @Override
        void endToken() {}

        @Override
        void finish() {
            open();
            flushHeld();
            next.endToken();
            next.finish();
        }

        /** Emits text still held when the list ends. */
        abstract void flushHeld();

        private void open() {
            if (!opened) {
                opened = true;
                next.startToken();
            }
        }
    }
}
