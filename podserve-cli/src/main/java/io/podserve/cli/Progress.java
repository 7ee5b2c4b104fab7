package io.podserve.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars for long work, drawn on stderr so stdout stays clean for results. */
public final class Progress {
    private Progress() {
    }

    /** A bar counting bytes, shown in MiB. */
    public static ProgressBar bytes(String task, long totalBytes) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalBytes)
                .setUnit(" MiB", 1 << 20)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .continuousUpdate()
                .build();
    }
}
