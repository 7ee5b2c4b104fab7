package io.podserve.model.tokenizer;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json} BPE tokenizer, byte-level (Qwen, DeepSeek, Llama 3,
 * GPT-OSS) or SentencePiece style (Llama 2, Mistral), giving the same ids and text as the
 * {@code tokenizers} library. Immutable and safe to share between threads; only
 * {@link StreamingDecoder}s are per-stream.
 *
 * <p>Loading fails with {@link io.podserve.model.ModelFormatException} for a missing file, bad
 * JSON, or any model or component type this class cannot reproduce exactly; the message names the
 * file, the component and what is supported.
 */
public final class Tokenizer {
    private final Vocabulary vocabulary;
    private final EncodePipeline encoder;
    private final DecoderChain decoder;

    Tokenizer(Vocabulary vocabulary, EncodePipeline encoder, DecoderChain decoder) {
        this.vocabulary = vocabulary;
        this.encoder = encoder;
        this.decoder = decoder;
    }

    /** Loads {@code tokenizer.json}, or a gzip-compressed one ({@code .gz} or gzip magic bytes). */
    public static Tokenizer load(Path file) {
        return TokenizerLoader.load(file);
    }

    /** Reads a tokenizer from the text of a {@code tokenizer.json}. */
    public static Tokenizer fromJson(String json) {
        return fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Reads a tokenizer from a stream of {@code tokenizer.json}, plain or gzip-compressed. The
     * stream is read to its end but not closed.
     *
     * @throws java.io.UncheckedIOException if the stream fails
     */
    public static Tokenizer fromJson(InputStream json) {
        return TokenizerLoader.read(json, null);
    }

    /** The ids of {@code text}, without special tokens (HF's {@code add_special_tokens=False}). */
    public int[] encode(String text) {
        return encoder.encode(text, false);
    }

    /**
     * The ids of {@code text}; with {@code addSpecialTokens}, the post-processor adds what the
     * tokenizer's template asks for (a BOS token for Llama-style tokenizers, nothing for most
     * byte-level ones). Added tokens written in the text, such as {@code <|im_start|>}, always
     * map to their ids.
     */
    public int[] encode(String text, boolean addSpecialTokens) {
        return encoder.encode(text, addSpecialTokens);
    }

    /**
     * The text of {@code ids}, special tokens included (HF's {@code skip_special_tokens=False}).
     *
     * @throws IllegalArgumentException for an id outside the vocabulary
     */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /**
     * The text of {@code ids}; with {@code skipSpecialTokens}, special tokens leave no text.
     *
     * @throws IllegalArgumentException for an id outside the vocabulary
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        for (int id : ids) {
            vocabulary.token(id);
        }
        StreamingDecoder stream = streamingDecoder(skipSpecialTokens);
        for (int id : ids) {
            stream.push(id);
        }
        return stream.flush();
    }

    /** A decoder for one stream of generated ids, special tokens included. */
    public StreamingDecoder streamingDecoder() {
        return streamingDecoder(false);
    }

    /** A decoder for one stream of generated ids; see {@link #decode(int[], boolean)}. */
    public StreamingDecoder streamingDecoder(boolean skipSpecialTokens) {
        return new StreamingDecoder(vocabulary, decoder, skipSpecialTokens);
    }

    /** How many ids there are: one more than the highest id of the model or an added token. */
    public int vocabSize() {
        return vocabulary.size();
    }

    /** The id of a token given in its vocabulary form (e.g. {@code "Ġthe"}, {@code "<|im_end|>"}). */
    public OptionalInt tokenToId(String token) {
        return vocabulary.id(token);
    }

    /**
     * The vocabulary form of a token.
     *
     * @throws IllegalArgumentException for an id outside the vocabulary
     */
    public String idToToken(int id) {
        return vocabulary.token(id);
    }

    /**
     * Whether {@code decode(ids, true)} leaves this token out: its text is a special added token.
     *
     * @throws IllegalArgumentException for an id outside the vocabulary
     */
    public boolean isSpecial(int id) {
        return vocabulary.isSpecial(id);
    }
}
