package io.podserve.model.tokenizer;

/** The decoder steps that edit token text: Fuse, Replace, Strip, Metaspace and plain joining. */
final class TextDecodeStages {
    private TextDecodeStages() {}

    /** HF's {@code Fuse}: all tokens become one. */
    static final class Fuse extends DecodeStage.Joining {
        Fuse(DecodeStage next) {
            super(next);
        }

        @Override
        void text(String chunk) {
            next.text(chunk);
        }

        @Override
        void flushHeld() {}
    }

    /**
     * HF's {@code Replace} with a literal pattern, in each token. Text that could be the start of
     * an occurrence is held until the token goes on or ends.
     */
    static final class Replace extends DecodeStage {
        private final String target;
        private final String content;
        private final StringBuilder pending = new StringBuilder();

        Replace(DecodeStage next, String target, String content) {
            super(next);
            this.target = target;
            this.content = content;
        }

        @Override
        void startToken() {
            pending.setLength(0);
            next.startToken();
        }

        @Override
        void text(String chunk) {
            pending.append(chunk);
            drain(false);
        }

        @Override
        void endToken() {
            drain(true);
            next.endToken();
        }

        private void drain(boolean tokenEnded) {
            StringBuilder out = new StringBuilder(pending.length());
            int from = 0;
            for (int at = indexOf(from); at >= 0; at = indexOf(from)) {
                out.append(pending, from, at).append(content);
                from = at + target.length();
            }
            int keepFrom = tokenEnded ? pending.length() : heldFrom(from);
            out.append(pending, from, keepFrom);
            pending.delete(0, keepFrom);
            if (!out.isEmpty()) {
                next.text(out.toString());
            }
        }

        private int indexOf(int from) {
            return target.isEmpty() ? -1 : pending.indexOf(target, from);
        }

        /** Where the shortest tail that might still grow into an occurrence begins. */
        private int heldFrom(int from) {
            int length = pending.length();
            for (int p = Math.max(from, length - target.length() + 1); p < length; p++) {
                if (target.startsWith(pending.substring(p))) {
                    return p;
                }
            }
            return length;
        }
    }

    /**
     * HF's {@code Strip}: removes up to {@code start} leading and {@code stop} trailing copies of
     * one character from each token. Trailing copies are held until more text shows they were
     * not trailing.
     */
    static final class Strip extends DecodeStage {
        private final int content;
        private final int start;
        private final int stop;
        private boolean leadDone;
        private int leadStripped;
        private int held;

        Strip(DecodeStage next, int content, int start, int stop) {
            super(next);
            this.content = content;
            this.start = start;
            this.stop = stop;
        }

        @Override
        void startToken() {
            leadDone = start == 0;
            leadStripped = 0;
            held = 0;
            next.startToken();
        }

        @Override
        void text(String chunk) {
            StringBuilder out = new StringBuilder(chunk.length());
            chunk.codePoints().forEach(cp -> accept(cp, out));
            if (!out.isEmpty()) {
                next.text(out.toString());
            }
        }

        private void accept(int cp, StringBuilder out) {
            if (!leadDone) {
                if (cp == content && leadStripped < start) {
                    leadDone = ++leadStripped == start;
                    return;
                }
                leadDone = true;
            }
            if (cp == content && stop > 0) {
                if (++held > stop) {
                    out.appendCodePoint(content);
                    held--;
                }
                return;
            }
            for (; held > 0; held--) {
                out.appendCodePoint(content);
            }
            out.appendCodePoint(cp);
        }

        @Override
        void endToken() {
            held = 0; // they were trailing after all
            next.endToken();
        }
    }

    /**
     * HF's {@code Metaspace} decoder: the replacement character becomes a space, except in the
     * first token, where it is dropped (unless the prepend scheme is "never").
     */
    static final class Metaspace extends DecodeStage {
        private final int replacement;
        private final boolean dropInFirstToken;
        private int tokenIndex = -1;

        Metaspace(DecodeStage next, int replacement, boolean dropInFirstToken) {
            super(next);
            this.replacement = replacement;
            this.dropInFirstToken = dropInFirstToken;
        }

        @Override
        void startToken() {
            tokenIndex++;
            next.startToken();
        }

        @Override
        void text(String chunk) {
            boolean drop = tokenIndex == 0 && dropInFirstToken;
            StringBuilder out = new StringBuilder(chunk.length());
            chunk.codePoints().forEach(cp -> {
                if (cp != replacement) {
                    out.appendCodePoint(cp);
                } else if (!drop) {
                    out.append(' ');
                }
            });
            next.text(out.toString());
        }
    }

    /** No decoder at all: HF joins the tokens with single spaces. */
    static final class SpaceJoin extends DecodeStage {
        private boolean first = true;

        SpaceJoin(DecodeStage next) {
            super(next);
        }

        @Override
        void startToken() {
            if (!first) {
                next.text(" ");
            }
            first = false;
            next.startToken();
        }

        @Override
        void text(String chunk) {
            next.text(chunk);
        }
    }
}
