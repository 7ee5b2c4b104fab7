package io.podserve.model.chat;

import io.podserve.model.ModelFormatException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's chat template, rendered byte for byte as transformers' {@code apply_chat_template(
 * messages, tokenize=False, add_generation_prompt=...)} renders it. Immutable; render is
 * thread-safe.
 *
 * <p>NOTE: templates run on a small interpreter of jinja2's semantics written for this package,
 * not on Jinjava. Jinjava 2.8.2's expression language coerces like Java EL ({@code 'false'} is
 * false in {@code and}/{@code or}, {@code 1 == '1'} holds, {@code -5 // 2} is -2), parses
 * {@code not a == b} as {@code (not a) == b}, lacks {@code [::-1]} and {@code for ... if}, and
 * applies lstrip_blocks to tags in mid-line; exactness would mean replacing most of it.
 */
public final class ChatTemplate {
    private final String template;
    private final Path file;
    private final List<Node> nodes;
    private final Map<String, Object> specialTokens;
    private final Clock clock;

    private ChatTemplate(String template, Path file, Map<String, Object> specialTokens, Clock clock) {
        this.template = template;
        this.file = file;
        this.specialTokens = Map.copyOf(specialTokens);
        this.clock = clock;
        try {
            this.nodes = TemplateParser.parse(template);
        } catch (TemplateSyntaxError e) {
            throw failure("chat_template has a syntax error at line " + e.line() + " of the template: " + e.getMessage());
        }
    }

    /**
     * Reads {@code chat_template} (a string, or the "default" entry of a list of named templates)
     * and the special tokens (bos_token, eos_token, ...) from a Hugging Face tokenizer_config.json.
     */
    public static ChatTemplate fromTokenizerConfig(Path tokenizerConfigJson) {
        TokenizerChatConfig config = TokenizerChatConfig.read(tokenizerConfigJson);
        return new ChatTemplate(config.template(), tokenizerConfigJson, config.specialTokens(), Clock.systemDefaultZone());
    }

    /** A template given as text, with special tokens such as {@code bos_token} by variable name. */
    public static ChatTemplate of(String template, Map<String, String> specialTokens) {
        return new ChatTemplate(template, null, new LinkedHashMap<>(specialTokens), Clock.systemDefaultZone());
    }

    /** The same template with strftime_now reading the given clock; for reproducible renders. */
    ChatTemplate withClock(Clock fixed) {
        return new ChatTemplate(template, file, specialTokens, fixed);
    }

    public String template() {
        return template;
    }

    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders with extra template variables, e.g. {@code tools} (a list of tool definitions as
     * maps), {@code documents} or {@code enable_thinking}; they override the defaults.
     *
     * @throws ModelFormatException when the template rejects the messages (raise_exception) or fails
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> variables) {
        try {
            return Renderer.renderToString(nodes, rootScope(messages, addGenerationPrompt, variables));
        } catch (TemplateRuntimeError.Raised e) {
            throw failure("the chat template rejected the messages: " + e.getMessage());
        } catch (TemplateRuntimeError e) {
            throw failure("rendering the chat template failed at line " + e.line() + " of the template: " + e.getMessage());
        } catch (StackOverflowError e) {
            throw failure("rendering the chat template recursed too deeply");
        }
    }

    private Scope rootScope(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> variables) {
        Map<String, Object> context = new LinkedHashMap<>(Globals.create(clock));
        context.putAll(specialTokens);
        List<Object> messageValues = new ArrayList<>(messages.size());
        messages.forEach(m -> messageValues.add(m.toTemplateValue()));
        context.put("messages", messageValues);
        context.put("tools", null);
        context.put("documents", null);
        context.put("add_generation_prompt", addGenerationPrompt);
        variables.forEach((name, value) -> context.put(name, TemplateValues.fromJava(value)));
        return Scope.root(context);
    }

    private ModelFormatException failure(String problem) {
        return file != null ? new ModelFormatException(file, problem) : new ModelFormatException(problem);
    }
}
