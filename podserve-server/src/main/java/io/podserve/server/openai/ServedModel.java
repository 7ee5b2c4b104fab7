package io.podserve.server.openai;

import io.podserve.model.chat.ChatMessage;
import io.podserve.model.chat.ChatTemplate;
import io.podserve.model.config.GenerationConfig;
import io.podserve.model.tokenizer.Tokenizer;
import io.podserve.server.http.ApiError;

import java.util.List;

/**
 * The model as the API sees it: the name clients use, the tokenizer and chat template that turn
 * requests into token ids, and generation_config.json's sampling defaults.
 *
 * @param name         the served model name ({@code model} in requests and responses)
 * @param tokenizer    encodes prompts and spells logprob tokens
 * @param chatTemplate null when the model has none (chat completions then answer 400)
 * @param generation   default temperature, top_p, top_k when a request leaves them out
 */
public record ServedModel(String name, Tokenizer tokenizer, ChatTemplate chatTemplate, GenerationConfig generation) {

    /**
     * Renders the chat template with the generation prompt and tokenizes the text as it stands:
     * the template already wrote any BOS, so no special tokens are added (as vLLM does for chat).
     */
    int[] chatPrompt(List<ChatMessage> messages) {
        if (chatTemplate == null) {
            throw ApiError.badRequest("model '" + name + "' has no chat template; use /v1/completions", "messages");
        }
        String text;
        try {
            text = chatTemplate.render(messages, true);
        } catch (RuntimeException e) {
            // NOTE: templates raise on client input (roles that do not alternate, a missing user turn), so a render failure is a 400.
            throw ApiError.badRequest("the chat template rejected these messages: " + e.getMessage(), "messages");
        }
        return tokenizer.encode(text, false);
    }

    /** A completion prompt is tokenized with the tokenizer's special tokens (BOS), as vLLM does. */
    int[] textPrompt(String text) {
        return tokenizer.encode(text, true);
    }

    /** How a token reads in logprobs: its text with special tokens spelled out. */
    String tokenText(int id) {
        return tokenizer.decode(new int[] {id}, false);
    }
}
