package io.podserve.model.tokenizer;

import java.io.ByteArrayOutputStream;

/** The decoder steps that turn tokens back into bytes and the bytes into text. */
final class ByteDecodeStages {
    private ByteDecodeStages() {}

    /**
     * HF's {@code ByteLevel} decoder: maps every token back through the {@link ByteLevelAlphabet}
     * and decodes the concatenated bytes as lossy UTF-8, all as one output token. A character
     * whose bytes span several tokens is held until its last byte arrives.
     */
    static final class ByteLevel extends DecodeStage.Joining {
        private final StringBuilder token = new StringBuilder();
        private final Utf8Stream utf8 = new Utf8Stream();

        ByteLevel(DecodeStage next) {
            super(next);
        }

        @Override
        void startToken() {
            super.startToken();
            token.setLength(0);
        }

        @Override
        void text(String chunk) {
            token.append(chunk);
        }

        @Override
        void endToken() {
            utf8.feed(ByteLevelAlphabet.decode(token));
            emit(utf8.take());
        }

        @Override
        void flushHeld() {
            utf8.finish();
            emit(utf8.take());
        }

        private void emit(String text) {
            if (!text.isEmpty()) {
                next.text(text);
            }
        }
    }

    /**
     * HF's {@code ByteFallback} decoder: a run of {@code <0xXX>} tokens becomes one token holding
     * their bytes as text if they are valid UTF-8, and otherwise one U+FFFD token per byte. Other
     * tokens pass unchanged.
     */
    static final class ByteFallback extends DecodeStage {
        private final StringBuilder token = new StringBuilder();
        private final ByteArrayOutputStream run = new ByteArrayOutputStream();

        ByteFallback(DecodeStage next) {
            super(next);
        }

        @Override
        void startToken() {
            token.setLength(0);
        }

        @Override
        void text(String chunk) {
            token.append(chunk);
        }

        @Override
        void endToken() {
            int value = byteValue(token);
            if (value >= 0) {
                // NOTE: the run is held until a non-byte token ends it: one invalid byte turns
                // the whole run into U+FFFDs, so no part of it is final before then.
                run.write(value);
            } else {
                flushRun();
                emitToken(token.toString());
            }
        }

        @Override
        void finish() {
            flushRun();
            next.finish();
        }

        private void flushRun() {
            if (run.size() == 0) {
                return;
            }
            Utf8Stream utf8 = new Utf8Stream();
            utf8.feed(run.toByteArray());
            utf8.finish();
            String text = utf8.take();
            if (utf8.replacements() == 0) {
                emitToken(text);
            } else {
                for (int i = 0; i < run.size(); i++) {
                    emitToken("\uFFFD");
                }
            }
            run.reset();
        }

        private void emitToken(String text) {
            next.startToken();
            next.text(text);
            next.endToken();
        }

        /** The byte a {@code <0xXX>} token stands for, or -1 for any other token. */
        static int byteValue(CharSequence token) {
            if (token.length() != 6 || token.charAt(0) != '<' || token.charAt(1) != '0'
                    || token.charAt(2) != 'x' || token.charAt(5) != '>') {
                return -1;
            }
            int low = hexDigit(token.charAt(4));
            if (low < 0) {
                return -1;
            }
            if (token.charAt(3) == '+') {
                return low; // Rust's from_str_radix accepts a plus sign, so HF reads "<0x+A>" too
            }
            int high = hexDigit(token.charAt(3));
            return high < 0 ? -1 : high * 16 + low;
        }

        private static int hexDigit(char c) {
            return c < 0x80 ? Character.digit(c, 16) : -1;
        }
    }
}
