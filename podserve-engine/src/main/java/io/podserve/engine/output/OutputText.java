package io.podserve.engine.output;

import java.util.List;

import io.podserve.model.tokenizer.StreamingDecoder;

/**
 * One request's output text as it streams: each token's text is appended, stop strings are looked
 * for, and text that could still grow into a stop string is held back, so a client never sees part
 * of a stop string (OpenAI's behaviour). The released pieces concatenate to the final text. Owned
 * by the engine thread.
 */
public final class OutputText {
    private final StreamingDecoder decoder;
    private final List<String> stops;
    private final int maxStopLength;
    private final StringBuilder text = new StringBuilder();
    private int numReleased; // chars of text already handed out: [0, numReleased)
    private boolean stopped;

    public OutputText(StreamingDecoder decoder, List<String> stops) {
        this.decoder = decoder;
        this.stops = List.copyOf(stops);
        this.maxStopLength = stops.stream().mapToInt(String::length).max().orElse(0);
    }

    /** Adds a generated token's text; returns the text released by it (possibly ""). */
    public String add(int token) {
        if (stopped) {
            throw new IllegalStateException("the output already ended at a stop string");
        }
        return append(decoder.next(token), false);
    }

    /**
     * Ends the stream (a token limit, an eos id, or a stop string): returns the text still held
     * back, cut at a stop string if one completes in it.
     */
    public String finish() {
        return stopped ? "" : append(decoder.flush(), true);
    }

    /** True once a stop string matched; the text ends right before it. */
    public boolean stopped() {
        return stopped;
    }

    /** The text released so far. */
    public String released() {
        return text.substring(0, numReleased);
    }

    private String append(String piece, boolean end) {
        int searchFrom = Math.max(numReleased, text.length() - maxStopLength + 1);
        text.append(piece);
        int match = firstStop(searchFrom);
        if (match >= 0) {
            stopped = true;
            return release(match);
        }
        return release(end ? text.length() : heldBackFrom());
    }

    /** The earliest start of a stop string at or after {@code from}, or -1. */
    private int firstStop(int from) {
        int best = -1;
        for (String s : stops) {
            int i = text.indexOf(s, from);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    /** Where the longest tail of the text that is a proper prefix of some stop string begins. */
    private int heldBackFrom() {
        int len = text.length();
        for (int k = Math.max(numReleased, len - maxStopLength + 1); k < len; k++) {
            for (String s : stops) {
                if (s.length() > len - k && beginsWithTail(s, k)) {
                    return k;
                }
            }
        }
        return len;
    }

    /** Whether {@code s} begins with the text from {@code k} to its end. */
    private boolean beginsWithTail(String s, int k) {
        for (int i = k; i < text.length(); i++) {
            if (text.charAt(i) != s.charAt(i - k)) {
                return false;
            }
        }
        return true;
    }

    private String release(int upTo) {
        if (upTo <= numReleased) {
            return "";
        }
        String out = text.substring(numReleased, upTo);
        numReleased = upTo;
        return out;
    }
}
