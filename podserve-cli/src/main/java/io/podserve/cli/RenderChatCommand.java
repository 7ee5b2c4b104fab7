package io.podserve.cli;

import io.podserve.model.chat.ChatMessage;
import io.podserve.model.chat.ChatTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code podserve render-chat}: a conversation rendered through the model's chat template. */
@Command(name = "render-chat", mixinStandardHelpOptions = true,
        description = "Render a conversation with the chat_template of a tokenizer_config.json and print the prompt "
                + "exactly as transformers' apply_chat_template(tokenize=False) gives it, with nothing added.")
final class RenderChatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tokenizer-config", required = true, paramLabel = "FILE|DIR",
            description = "tokenizer_config.json, or a model directory holding one")
    Path tokenizerConfig;

    @Option(names = "--messages", required = true, paramLabel = "JSON",
            description = "the conversation as an OpenAI-style JSON array, e.g. "
                    + "'[{\"role\":\"user\",\"content\":\"Hello!\"}]'")
    String messages;

    @Option(names = "--add-generation-prompt", description = "end with the header that starts the assistant's turn")
    boolean addGenerationPrompt;

    @Override
    public Integer call() {
        ChatTemplate template = ChatTemplate.fromTokenizerConfig(Defaults.tokenizerConfigFile(tokenizerConfig));
        var out = spec.commandLine().getOut();
        out.print(template.render(ChatMessage.listFromJson(messages), addGenerationPrompt));
        out.flush();
        return 0;
    }
}
