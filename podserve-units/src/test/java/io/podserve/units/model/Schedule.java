package io.podserve.units.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.podserve.units.placement.Placement;

/**
 * A test schedule: each sequence's tokens cut into chunks, sequence {@code s} joining at step
 * {@code start[s]}; every step runs the next chunk of every active sequence together and keeps all
 * rows' logits. Returns each sequence's logits, one row per token, in position order.
 */
final class Schedule {
    private final int[][] tokens;
    private final int[][] chunkSizes;
    private final int[] start;

    Schedule(int[][] tokens, int[][] chunkSizes, int[] start) {
        this.tokens = tokens;
        this.chunkSizes = chunkSizes;
        this.start = start;
        for (int s = 0; s < tokens.length; s++) {
            if (Arrays.stream(chunkSizes[s]).sum() != tokens[s].length) {
                throw new IllegalArgumentException("chunks of sequence " + s + " do not cover its tokens");
            }
        }
    }

    /** Sequence {@code s} alone: its prompt of {@code promptLength} tokens at once, then one token a step. */
    static int[] promptThenDecode(int promptLength, int total) {
        int[] sizes = new int[1 + total - promptLength];
        Arrays.fill(sizes, 1);
        sizes[0] = promptLength;
        return sizes;
    }

    float[][][] run(Model model, Placement placement) {
        int n = tokens.length;
        Sequence[] seqs = new Sequence[n];
        int[] nextChunk = new int[n];
        int[] offset = new int[n];
        float[][][] logits = new float[n][][];
        for (int s = 0; s < n; s++) {
            seqs[s] = model.newSequence();
            logits[s] = new float[tokens[s].length][];
        }
        for (int step = 0; !done(nextChunk); step++) {
            List<Chunk> chunks = new ArrayList<>();
            List<Integer> members = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                if (step >= start[s] && nextChunk[s] < chunkSizes[s].length) {
                    int size = chunkSizes[s][nextChunk[s]++];
                    chunks.add(new Chunk(seqs[s], Arrays.copyOfRange(tokens[s], offset[s], offset[s] + size), true));
                    members.add(s);
                }
            }
            if (chunks.isEmpty()) {
                continue;
            }
            Logits out = model.step(chunks, placement);
            int row = 0;
            for (int s : members) {
                int size = chunkSizes[s][nextChunk[s] - 1];
                for (int i = 0; i < size; i++) {
                    logits[s][offset[s] + i] = out.row(row++);
                }
                offset[s] += size;
            }
        }
        for (Sequence seq : seqs) {
            model.release(seq);
        }
        return logits;
    }

    private boolean done(int[] nextChunk) {
        for (int s = 0; s < tokens.length; s++) {
            if (nextChunk[s] < chunkSizes[s].length) {
                return false;
            }
        }
        return true;
    }
}
