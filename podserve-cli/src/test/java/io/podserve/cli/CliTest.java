package io.podserve.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The commands as a user runs them: exact output, exit codes, and one-line errors. */
class CliTest {
    private static final Path TESTDATA = Path.of(System.getProperty("podserve.testdata", "../testdata"));
    private static final Path FORTUNE = Path.of(System.getProperty("podserve.models", "../models"), "fortune-moe");
    private static final String QWEN3_TOKENIZER = TESTDATA.resolve("tokenizers/qwen3/tokenizer.json.gz").toString();

    @TempDir
    Path tmp;

    record Result(int exitCode, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new Result(rc, out.toString(), err.toString());
    }

    @Test
    void tokenizeJsonPrintsIdsOnOneLine() {
        Result r = run("tokenize", "--tokenizer", QWEN3_TOKENIZER, "--text", "Hello, world!", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("{\"ids\":[9707,11,1879,0]}" + System.lineSeparator(), r.out());
    }

    @Test
    void tokenizePlainIsReadyForDetokenize() {
        Result r = run("tokenize", "--tokenizer", QWEN3_TOKENIZER, "--text", "Hello, world!");
        assertEquals("9707,11,1879,0", r.out().strip());
    }

    @Test
    void detokenizePrintsTheTextExactly() {
        Result r = run("detokenize", "--tokenizer", QWEN3_TOKENIZER, "--ids", "9707,11,1879,0");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("Hello, world!", r.out());
    }

    @Test
    void renderChatPrintsThePromptWithNothingAdded() {
        Result r = run("render-chat", "--tokenizer-config", FORTUNE.toString(),
                "--messages", "[{\"role\":\"user\",\"content\":\"Tell me a fortune.\"}]", "--add-generation-prompt");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("<|im_start|>user\nTell me a fortune.<|im_end|>\n<|im_start|>assistant\n", r.out());
    }

    @Test
    void inspectDescribesTheBuiltInModel() {
        Result r = run("inspect", "--model", FORTUNE.toString(), "--tensors");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("DeepseekV3ForCausalLM (model_type deepseek_v3)"), r.out());
        assertTrue(r.out().contains("MLA, 4 heads, q_lora 96, kv_lora 64"), r.out());
        assertTrue(r.out().contains("16 routed, top-4 (sigmoid with correction bias, 4 groups keep 2), 1 shared"), r.out());
        assertTrue(r.out().contains("6.0 M total"), r.out());
        assertTrue(r.out().contains("model.layers.3.mlp.experts.15.down_proj.weight"), r.out());
    }

    @Test
    void demoRunsEndToEnd() {
        Result r = run("demo", "--model", FORTUNE.toString(), "--bench-prompts", "4");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("(decoded back: identical)"), r.out());
        assertTrue(r.out().contains("assistant: "), r.out());
        assertTrue(r.out().contains("`podserve bench`"), r.out());
    }

    @Test
    void checkModelPassesOnAFixture() {
        Result r = run("check-model", "--model", TESTDATA.resolve("hf-tiny/qwen3_moe").toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("PASSED"), r.out());
    }

    /** Greedy generation through the CLI reproduces the reference's greedy continuation of prompt 1. */
    @Test
    void generateJsonMatchesTheReferenceGreedyTokens() {
        Result r = run("generate", "--model", TESTDATA.resolve("hf-tiny/qwen3").toString(),
                "--prompt-ids", "22,1016,932,265,516", "--max-tokens", "24", "--temperature", "0", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"ids\":[485,380,380,575,272,380,380,762,388,536,432,752,432,752,683,724,899,"
                + "626,199,724,218,97,724,218]"), r.out());
        assertTrue(r.out().contains("\"finish_reason\":\"length\""), r.out());
    }

    @Test
    void generateStreamsTextOfTheBuiltInModel() {
        Result r = run("generate", "--model", FORTUNE.toString(), "--chat", "Tell me a fortune.", "--max-tokens", "8",
                "--seed", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.out().isBlank(), "some text was streamed");
        assertTrue(r.err().contains("prompt tokens"), r.err());
    }

    @Test
    void missingTokenizerFileIsOneClearLine() {
        Result r = run("tokenize", "--tokenizer", tmp.resolve("nope.json").toString(), "--text", "x");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("nope.json"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace for a user's mistake: " + r.err());
    }

    @Test
    void badMessagesJsonIsOneClearLine() {
        Result r = run("render-chat", "--tokenizer-config", FORTUNE.toString(), "--messages", "{\"role\":\"user\"}");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("array"), r.err());
    }

    @Test
    void directoryWithoutConfigSaysWhatIsMissing() {
        Result r = run("inspect", "--model", tmp.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("config.json: not found"), r.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"demo", "inspect", "tokenize", "detokenize", "render-chat", "synth",
                "check-model", "generate"}) {
            Result r = run(cmd, "--help");
            assertEquals(0, r.exitCode(), cmd);
            assertTrue(r.out().startsWith("Usage: podserve " + cmd), r.out());
        }
    }
}
