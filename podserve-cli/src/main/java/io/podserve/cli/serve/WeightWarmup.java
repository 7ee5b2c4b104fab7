package io.podserve.cli.serve;

import io.podserve.cli.Progress;
import io.podserve.model.weights.WeightStore;
import me.tongfei.progressbar.ProgressBar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Reads a checkpoint's weight files once, front to back, with a progress bar, so their pages are
 * in memory before the model maps them.
 *
 * <p>NOTE: weights are memory-mapped, so loading them is the OS paging the files in; doing it here,
 * sequentially, shows the user where a slow disk's minutes go, and the first requests are not
 * slowed by page faults.
 */
final class WeightWarmup {
    private static final int CHUNK_BYTES = 8 << 20;

    private WeightWarmup() {
    }

    static void run(Path modelDir) {
        List<Path> files;
        try (WeightStore store = WeightStore.open(modelDir)) {
            files = store.files();
        }
        long total = 0;
        for (Path f : files) {
            total += size(f);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK_BYTES);
        try (ProgressBar bar = Progress.bytes("loading weights", total)) {
            for (Path f : files) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    for (int n = ch.read(buffer); n > 0; n = ch.read(buffer)) {
                        bar.stepBy(n);
                        buffer.clear();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("reading " + f, e);
                }
            }
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the size of " + f, e);
        }
    }
}
