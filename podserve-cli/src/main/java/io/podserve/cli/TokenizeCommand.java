package io.podserve.cli;

import io.podserve.model.tokenizer.Tokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code podserve tokenize}: text to token ids, as Hugging Face tokenizers gives them. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Encode text with a tokenizer.json and print the token ids (comma-separated, "
                + "ready for `podserve detokenize --ids`).")
final class TokenizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE|DIR",
            description = "tokenizer.json or tokenizer.json.gz, or a model directory holding one")
    Path tokenizer;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--text", paramLabel = "STR", description = "the text to encode")
        String text;

        @Option(names = "--text-file", paramLabel = "FILE", description = "encode this UTF-8 file's contents instead")
        Path file;
    }

    @Option(names = "--add-special-tokens",
            description = "apply the tokenizer's post-processor (e.g. prepend BOS), as add_special_tokens=True")
    boolean addSpecialTokens;

    @Option(names = "--json", description = "print {\"ids\":[...]} on one line")
    boolean json;

    @Option(names = "--show-tokens", description = "print each id with its vocabulary entry, one per line")
    boolean showTokens;

    @Override
    public Integer call() throws IOException {
        Tokenizer tok = Tokenizer.load(Defaults.tokenizerFile(tokenizer));
        String text = input.text != null ? input.text : Files.readString(input.file);
        int[] ids = tok.encode(text, addSpecialTokens);
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(",", "{\"ids\":[", "]}")));
        } else if (showTokens) {
            for (int id : ids) {
                out.printf("%8d  %s%n", id, tok.idToToken(id));
            }
        } else {
            out.println(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        }
        out.flush();
        return 0;
    }
}
