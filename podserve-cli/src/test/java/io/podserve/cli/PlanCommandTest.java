package io.podserve.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.podserve.cli.CliTest.run;

/** {@code podserve plan} and {@code podserve profile} as a user runs them (through {@link CliTest#run}). */
@Timeout(120)
class PlanCommandTest {
    private static final Path FORTUNE = Path.of(System.getProperty("podserve.models", "../models"), "fortune-moe");

    @TempDir
    Path tmp;

    private static final String[] QWEN_ON_H100 = {"plan", "--model", "qwen3-30b-a3b", "--hardware", "h100-sxm",
            "--input-len", "1000", "--output-len", "200", "--slo-ttft-ms", "1000", "--slo-tpot-ms", "50", "--requests", "200"};

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void searchPrintsARankedTableAndWritesJsonAndChart() throws Exception {
        Path json = tmp.resolve("plan.json");
        Path png = tmp.resolve("plan.png");
        CliTest.Result r = run(with(QWEN_ON_H100, "--chips", "2", "--top", "3", "--json", json.toString(), "--plot", png.toString()));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("goodput/chip") && r.out().contains("Pareto front"), r.out());
        assertTrue(Files.readString(json).contains("\"ranked\""));
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void explainBreaksAStepDownByOperator() {
        CliTest.Result r = run(with(QWEN_ON_H100, "--explain", "P:tp1+D:tp1", "--batch", "8"));
        assertEquals(0, r.exitCode(), r.err());
        for (String op : new String[] {"qkv_proj", "attention", "router", "experts", "lm_head", "host_dispatch"}) {
            assertTrue(r.out().contains(op), op + " missing from\n" + r.out());
        }
        assertTrue(r.out().contains("output tokens/s per chip"), r.out());
    }

    @Test
    void badInputGetsOneClearLine() {
        CliTest.Result r = run(with(QWEN_ON_H100, "--evaluate", "tp2+tp2"));
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("P side followed by a D or AF side"), r.err());
        CliTest.Result noChips = run(QWEN_ON_H100);
        assertTrue(noChips.err().contains("--chips is required"), noChips.err());
    }

    @Test
    void profileRefitsSavedStepsIntoAProfileThatPlanReads() throws Exception {
        Path steps = tmp.resolve("steps.csv");
        Files.writeString(steps, """
                # limits bandwidth=1.0e10 peak=2.0e11 cores=2
                label,rows,seqs,sampled,attn_pairs,kv_read,prefill,seconds
                decode b1,1,1,1,64,64,false,0.004
                decode b4,4,4,4,256,256,false,0.009
                prefill 64,64,1,1,2080,64,true,0.020
                """);
        Path profile = tmp.resolve("cpu.yaml");
        CliTest.Result p = run("profile", "--model", FORTUNE.toString(), "--from-steps", steps.toString(), "--out", profile.toString());
        assertEquals(0, p.exitCode(), p.err());
        assertTrue(p.out().contains("fitted:"), p.out());
        CliTest.Result e = run("plan", "--model", FORTUNE.toString(), "--hardware", "cpu", "--hardware-file", profile.toString(),
                "--input-len", "32", "--output-len", "8", "--slo-ttft-ms", "2000", "--slo-tpot-ms", "500", "--requests", "100",
                "--evaluate", "tp1", "--rate", "1");
        assertEquals(0, e.exitCode(), e.err());
        assertTrue(e.out().contains("at 1.0000 requests/s: TTFT p90"), e.out());
    }
}
