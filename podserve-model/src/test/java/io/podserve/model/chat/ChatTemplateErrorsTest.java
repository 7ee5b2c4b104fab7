package io.podserve.model.chat;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podserve.model.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failure names what is wrong, and where, in words a user can act on. */
class ChatTemplateErrorsTest {
    @TempDir
    Path dir;

    private Path config(String json) throws IOException {
        Path file = dir.resolve("tokenizer_config.json");
        Files.writeString(file, json);
        return file;
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected \"" + part + "\" in: " + e.getMessage());
        }
    }

    @Test
    void missingChatTemplateNamesTheFileAndSuggestsTheOption() throws IOException {
        Path file = config("{\"eos_token\": \"</s>\"}");

        var e = assertThrows(ModelFormatException.class, () -> ChatTemplate.fromTokenizerConfig(file));

        assertMentions(e, file.toString(), "no \"chat_template\"", "--chat-template");
    }

    @Test
    void namedTemplatesWithoutDefaultAreRefused() throws IOException {
        Path file = config("{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"x\"}]}");

        var e = assertThrows(ModelFormatException.class, () -> ChatTemplate.fromTokenizerConfig(file));

        assertMentions(e, file.toString(), "tool_use", "\"default\"");
    }

    @Test
    void theDefaultOfNamedTemplatesIsChosen() throws IOException {
        Path file = config("{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"T\"},"
                + " {\"name\": \"default\", \"template\": \"D{{ eos_token }}\"}], \"eos_token\": \"</s>\"}");

        assertTrue(ChatTemplate.fromTokenizerConfig(file).render(List.of(), false).equals("D</s>"));
    }

    @Test
    void syntaxErrorNamesTheFileAndLine() throws IOException {
        Path file = config("{\"chat_template\": \"{% for m in messages %}\\n{{ m.content }}\\n{% if %}\\n{% endfor %}\"}");

        var e = assertThrows(ModelFormatException.class, () -> ChatTemplate.fromTokenizerConfig(file));

        assertMentions(e, file.toString(), "syntax error", "line 3");
    }

    @Test
    void unclosedBlockIsASyntaxError() {
        var e = assertThrows(ModelFormatException.class,
                () -> ChatTemplate.of("{% for m in messages %}\n{{ m.role }}", Map.of()));

        assertMentions(e, "line 2", "'for' block is never closed", "endfor");
    }

    @Test
    void unknownFilterIsASyntaxError() {
        var e = assertThrows(ModelFormatException.class, () -> ChatTemplate.of("{{ x | shout }}", Map.of()));

        assertMentions(e, "line 1", "no filter named 'shout'");
    }

    @Test
    void raiseExceptionSurfacesTheTemplatesMessage() {
        ChatTemplate template = ChatTemplate.of("{% for m in messages %}{% if m.role not in ['user', 'assistant'] %}"
                + "{{ raise_exception('Conversation roles must be user or assistant, not ' + m.role) }}"
                + "{% endif %}{% endfor %}", Map.of());

        var e = assertThrows(ModelFormatException.class,
                () -> template.render(List.of(new ChatMessage("system", "x")), false));

        assertMentions(e, "rejected the messages", "Conversation roles must be user or assistant, not system");
    }

    @Test
    void raiseExceptionFromAConfigNamesTheFile() throws IOException {
        Path file = config("{\"chat_template\": \"{{ raise_exception('no system role') }}\"}");

        var e = assertThrows(ModelFormatException.class,
                () -> ChatTemplate.fromTokenizerConfig(file).render(List.of(), false));

        assertMentions(e, file.toString(), "no system role");
    }

    @Test
    void runtimeErrorsNameTheTemplateLine() {
        ChatTemplate template = ChatTemplate.of("{% for m in messages %}\n{{ m.content + '!' }}\n{% endfor %}", Map.of());

        var e = assertThrows(ModelFormatException.class,
                () -> template.render(List.of(new ChatMessage("assistant", null)), false));

        assertMentions(e, "line 2", "'NoneType' and 'str'");
    }

    @Test
    void templatesMayNotModifyTheirInputs() {
        ChatTemplate template = ChatTemplate.of("{% set x = messages.append(1) %}", Map.of());

        var e = assertThrows(ModelFormatException.class, () -> template.render(List.of(), false));

        assertMentions(e, "'append'", "unsafe");
    }
}
