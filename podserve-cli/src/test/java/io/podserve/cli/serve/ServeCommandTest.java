package io.podserve.cli.serve;

import io.podserve.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code podserve serve} as parsed from its options: fortune-moe served under its directory's name. */
@Timeout(120)
class ServeCommandTest {
    private static final Path FORTUNE = Path.of(System.getProperty("podserve.models", "../models"), "fortune-moe");

    @Test
    void servesTheModelUnderItsDirectoryName() throws Exception {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs("--model", FORTUNE.toString(), "--port", "0", "--kv-cache-gb", "0.01",
                "--api-key", "k");
        StringWriter log = new StringWriter();
        try (ServeCommand.Running running = cmd.start(new PrintWriter(log))) {
            URI chat = URI.create("http://127.0.0.1:" + running.server().port() + "/v1/chat/completions");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(chat)
                    .header("Authorization", "Bearer k").POST(HttpRequest.BodyPublishers.ofString("""
                            {"model": "fortune-moe", "max_tokens": 4, "temperature": 0,
                             "messages": [{"role": "user", "content": "Tell me a fortune."}]}""")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"completion_tokens\":4"), r.body());
        }
        assertTrue(log.toString().contains("loaded"), log.toString());
    }

    @Test
    void helpExplainsEveryOption() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("serve", "--help"));
        for (String option : new String[] {"--model", "--port", "--max-num-seqs", "--max-batched-tokens",
                "--kv-cache-gb", "--api-key", "--served-model-name", "--quantization", "--shutdown-grace"}) {
            assertTrue(out.toString().contains(option), option + " missing from help:\n" + out);
        }
    }
}
