package io.podserve.jmh;

import io.podserve.model.tokenizer.Tokenizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Single-threaded encode throughput on the mixed corpus. {@code whole}: the corpus as one string;
 * {@code paragraphs}: each paragraph encoded separately, as requests arrive. MB/s = corpus bytes ÷
 * the reported seconds per operation (printed by {@link #main}).
 *
 * <p>Run from the repository root (the tokenizer paths are relative to it):
 * {@code java --add-modules jdk.incubator.vector -jar podserve-jmh/target/podserve-jmh.jar TokenizerEncode}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class TokenizerEncodeBenchmark {
    @Param({"qwen3", "deepseek_v3"})
    public String tokenizer;

    private Tokenizer tok;
    private String text;
    private List<String> paragraphs;

    @Setup(Level.Trial)
    public void load() {
        tok = Tokenizer.load(Path.of("testdata", "tokenizers", tokenizer, "tokenizer.json.gz"));
        text = BenchCorpus.text();
        paragraphs = BenchCorpus.paragraphs(text);
    }

    @Benchmark
    public int[] whole() {
        return tok.encode(text);
    }

    @Benchmark
    public void paragraphs(Blackhole bh) {
        for (String p : paragraphs) {
            bh.consume(tok.encode(p));
        }
    }
}
