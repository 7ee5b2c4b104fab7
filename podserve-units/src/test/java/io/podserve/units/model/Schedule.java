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
        return runLockstep(new Model[] {model}, new Placement[] {placement})[0];
    }

    /**
     * Runs the schedule on several models at once, step by step: lane {@code i} is
     * {@code models[i]} through {@code placements[i]}. Lanes run each step back to back, so they
     * see the same JIT-compiled kernels (Vector API reductions sum in another order once C2
     * compiles them). Returns {@code [lane][sequence][position][vocab]}.
     */
    float[][][][] runLockstep(Model[] models, Placement[] placements) {
        int n = tokens.length;
        Sequence[][] seqs = new Sequence[models.length][n];
        float[][][][] logits = new float[models.length][n][][];
        for (int lane = 0; lane < models.length; lane++) {
            for (int s = 0; s < n; s++) {
                seqs[lane][s] = models[lane].newSequence();
                logits[lane][s] = new float[tokens[s].length][];
            }
        }
        int[] nextChunk = new int[n];
        int[] offset = new int[n];
        for (int step = 0; !done(nextChunk); step++) {
            List<Integer> members = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                if (step >= start[s] && nextChunk[s] < chunkSizes[s].length) {
                    members.add(s);
                }
            }
            for (int lane = 0; lane < models.length && !members.isEmpty(); lane++) {
                List<Chunk> chunks = new ArrayList<>();
                for (int s : members) {
                    int size = chunkSizes[s][nextChunk[s]];
                    chunks.add(new Chunk(seqs[lane][s], Arrays.copyOfRange(tokens[s], offset[s], offset[s] + size),
                            true));
                }
                Logits out = models[lane].step(chunks, placements[lane]);
                int row = 0;
                for (int s : members) {
                    for (int i = 0; i < chunkSizes[s][nextChunk[s]]; i++) {
                        logits[lane][s][offset[s] + i] = out.row(row++);
                    }
                }
            }
            for (int s : members) {
                offset[s] += chunkSizes[s][nextChunk[s]++];
            }
        }
        for (int lane = 0; lane < models.length; lane++) {
            for (Sequence seq : seqs[lane]) {
                models[lane].release(seq);
            }
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
