package io.podserve.cli;

import io.podserve.model.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code podserve detokenize}: token ids back to text. */
@Command(name = "detokenize", mixinStandardHelpOptions = true,
        description = "Decode token ids with a tokenizer.json and print the text exactly (no newline added).")
final class DetokenizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE|DIR",
            description = "tokenizer.json or tokenizer.json.gz, or a model directory holding one")
    Path tokenizer;

    @Option(names = "--ids", required = true, split = ",", paramLabel = "ID,ID,...",
            description = "token ids, comma-separated")
    List<Integer> ids;

    @Option(names = "--skip-special-tokens", description = "leave special tokens out of the text")
    boolean skipSpecialTokens;

    @Override
    public Integer call() {
        Tokenizer tok = Tokenizer.load(Defaults.tokenizerFile(tokenizer));
        int[] array = ids.stream().mapToInt(Integer::intValue).toArray();
        var out = spec.commandLine().getOut();
        out.print(tok.decode(array, skipSpecialTokens));
        out.flush();
        return 0;
    }
}
