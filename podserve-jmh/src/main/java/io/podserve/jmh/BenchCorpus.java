package io.podserve.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The mixed English, code and CJK text of {@code corpus/mixed.txt.gz} (made by
 * tools/make_bench_corpus.py): about 4.3 MB of UTF-8 in 46 thousand paragraphs.
 */
final class BenchCorpus {
    private BenchCorpus() {
    }

    static String text() {
        try (InputStream raw = BenchCorpus.class.getResourceAsStream("/corpus/mixed.txt.gz")) {
            if (raw == null) {
                throw new IllegalStateException("corpus/mixed.txt.gz is not on the classpath");
            }
            return new String(new GZIPInputStream(raw).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Paragraphs as separate requests would bring them (split on blank lines, separators dropped). */
    static List<String> paragraphs(String text) {
        return Arrays.stream(text.split("\n\n")).filter(p -> !p.isBlank()).toList();
    }

    static long utf8Bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
