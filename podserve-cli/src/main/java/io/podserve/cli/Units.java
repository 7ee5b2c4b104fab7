package io.podserve.cli;

import java.util.Locale;

/** Human-readable counts and sizes for the CLI's reports. */
final class Units {
    private Units() {
    }

    /** 6.0 M, 37.2 B: parameter counts as model cards state them. */
    static String count(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f B", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f M", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.1f K", n / 1e3);
        }
        return Long.toString(n);
    }

    /** Binary units: 1.9 KiB, 12.0 MiB, 1.2 TiB. */
    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
