package io.podserve.model.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podserve.model.ModelFormatException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatMessageTest {
    private static void assertRejected(String json, String... parts) {
        var e = assertThrows(ModelFormatException.class, () -> ChatMessage.listFromJson(json));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected \"" + part + "\" in: " + e.getMessage());
        }
    }

    @Test
    void parsesRolesContentAndExtras() {
        List<ChatMessage> messages = ChatMessage.listFromJson("""
                [{"role": "user", "content": "Hi"},
                 {"role": "assistant", "content": null, "reasoning_content": "think",
                  "tool_calls": [{"id": "c1", "function": {"name": "f", "arguments": {"n": 2}}}]},
                 {"role": "tool", "tool_call_id": "c1", "name": "f", "content": "ok"}]
                """);

        assertEquals(new ChatMessage("user", "Hi"), messages.get(0));
        assertNull(messages.get(1).content());
        assertEquals("think", messages.get(1).extras().get("reasoning_content"));
        assertEquals(List.of(Map.of("id", "c1", "function", Map.of("name", "f", "arguments", Map.of("n", 2L)))),
                messages.get(1).extras().get("tool_calls"));
        assertEquals(Map.of("tool_call_id", "c1", "name", "f"), messages.get(2).extras());
    }

    @Test
    void missingContentIsNull() {
        assertNull(ChatMessage.listFromJson("[{\"role\": \"assistant\"}]").getFirst().content());
    }

    @Test
    void extrasReachTheTemplate() {
        ChatTemplate template = ChatTemplate.of("{% for m in messages %}{{ m.role }}:{{ m.name }}:"
                + "{{ m.tool_calls[0].function.arguments | tojson }}{% endfor %}", Map.of());
        List<ChatMessage> messages = ChatMessage.listFromJson(
                "[{\"role\": \"assistant\", \"name\": \"bot\", \"tool_calls\": [{\"function\": {\"arguments\": {\"a\": [1, 2.5]}}}]}]");

        assertEquals("assistant:bot:{\"a\": [1, 2.5]}", template.render(messages, false));
    }

    @Test
    void rejectsInvalidJson() {
        assertRejected("[{\"role\": ", "not valid JSON");
    }

    @Test
    void rejectsANonArray() {
        assertRejected("{\"role\": \"user\", \"content\": \"Hi\"}", "must be a JSON array", "got object");
    }

    @Test
    void rejectsAMessageThatIsNotAnObject() {
        assertRejected("[\"hello\"]", "messages[0]", "must be a JSON object", "got string");
    }

    @Test
    void rejectsAMessageWithoutRole() {
        assertRejected("[{\"role\": \"user\", \"content\": \"a\"}, {\"content\": \"b\"}]", "messages[1]", "no \"role\"");
    }

    @Test
    void rejectsNonStringContent() {
        assertRejected("[{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"a\"}]}]",
                "messages[0]", "\"content\" must be a string or null", "got array");
    }
}
