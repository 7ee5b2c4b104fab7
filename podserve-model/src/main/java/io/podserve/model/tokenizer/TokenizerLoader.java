package io.podserve.model.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Reads a tokenizer.json (plain or gzip-compressed) into a {@link Tokenizer}. */
final class TokenizerLoader {
    static final String MODELS = "BPE";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonFields json;
    private final ComponentFactory components;

    private TokenizerLoader(Path file) {
        this.json = new JsonFields(file);
        this.components = new ComponentFactory(json);
    }

    static Tokenizer load(Path file) {
        TokenizerLoader loader = new TokenizerLoader(file);
        try (InputStream in = Files.newInputStream(file)) {
            return loader.read(in);
        } catch (NoSuchFileException e) {
            throw loader.json.fail("tokenizer file not found; expected a Hugging Face tokenizer.json"
                    + " (or tokenizer.json.gz)", e);
        } catch (IOException e) {
            throw loader.json.fail("cannot read the tokenizer file: " + e.getMessage(), e);
        }
    }

    /** @param in JSON text, or gzip-compressed JSON (told apart by the gzip magic bytes) */
    static Tokenizer read(InputStream in, Path file) {
        TokenizerLoader loader = new TokenizerLoader(file);
        try {
            return loader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer JSON", e);
        }
    }

    private Tokenizer read(InputStream raw) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(decompressed(raw));
        } catch (JacksonException e) {
            throw json.fail("not valid JSON (" + e.getOriginalMessage() + "); expected a Hugging Face"
                    + " tokenizer.json", e);
        }
        if (root == null || !root.isObject()) {
            throw json.fail("expected a JSON object with \"model\", \"added_tokens\", ...; found "
                    + (root == null ? "nothing" : root.getNodeType()));
        }
        return build(root);
    }

    private static InputStream decompressed(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        boolean gzip = in.read() == 0x1F && in.read() == 0x8B;
        in.reset();
        return gzip ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private Tokenizer build(JsonNode root) {
        BpeModel model = model(json.node(root, "model", "tokenizer"));
        Normalizer normalizer = components.normalizer(root.get("normalizer"), "normalizer");
        AddedVocabulary added = new AddedVocabulary(addedTokens(root.get("added_tokens"), model), normalizer);
        EncodePipeline encoder = new EncodePipeline(
                added,
                normalizer,
                components.preTokenizer(root.get("pre_tokenizer"), "pre_tokenizer"),
                model,
                components.postProcessor(root.get("post_processor"), "post_processor"));
        DecoderChain decoder = components.decoder(root.get("decoder"), "decoder");
        // NOTE: "truncation" and "padding" are ignored: they are training-time batch settings,
        // and the serving engine applies its own context limits.
        return new Tokenizer(new Vocabulary(model.vocab(), added), encoder, decoder);
    }

    private BpeModel model(JsonNode node) {
        String type = json.optionalText(node, "type", "model");
        // Files written by old versions of tokenizers leave out the type; HF infers it.
        if (type == null && node.has("merges")) {
            type = "BPE";
        }
        if (!MODELS.equals(type)) {
            throw json.fail("model.type \"" + type + "\" is not supported; supported model types: " + MODELS
                    + " (WordPiece, Unigram and WordLevel tokenizers cannot be loaded)");
        }
        JsonNode dropout = node.get("dropout");
        if (dropout != null && !dropout.isNull() && dropout.asDouble() != 0.0) {
            throw json.fail("model.dropout is " + dropout + "; only null (no BPE dropout) is supported,"
                    + " since serving must tokenize deterministically");
        }
        try {
            return new BpeModel(vocab(json.node(node, "vocab", "model")), merges(json.node(node, "merges", "model")),
                    options(node));
        } catch (IllegalArgumentException e) {
            throw json.fail("model." + e.getMessage(), e);
        }
    }

    private BpeModel.Options options(JsonNode node) {
        return new BpeModel.Options(
                json.optionalText(node, "unk_token", "model"),
                json.bool(node, "fuse_unk", false, "model"),
                json.bool(node, "byte_fallback", false, "model"),
                json.bool(node, "ignore_merges", false, "model"),
                json.optionalText(node, "continuing_subword_prefix", "model"),
                json.optionalText(node, "end_of_word_suffix", "model"));
    }

    private Map<String, Integer> vocab(JsonNode node) {
        Map<String, Integer> vocab = new HashMap<>(node.size() * 2);
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().canConvertToInt() || entry.getValue().asInt() < 0) {
                throw json.fail("model.vocab[\"" + entry.getKey() + "\"] must be a non-negative id, not "
                        + entry.getValue());
            }
            vocab.put(entry.getKey(), entry.getValue().asInt());
        }
        return vocab;
    }

    /** Both forms: {@code "a b"} (older files) and {@code ["a", "b"]}. */
    private List<String[]> merges(JsonNode node) {
        List<String[]> merges = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode rule = node.get(i);
            String[] pair = rule.isTextual() ? rule.asText().split(" ", -1) : pairOf(rule);
            if (pair.length != 2) {
                throw json.fail("model.merges[" + i + "] must be \"left right\" or [\"left\", \"right\"], not "
                        + rule);
            }
            merges.add(pair);
        }
        return merges;
    }

    private static String[] pairOf(JsonNode rule) {
        if (!rule.isArray() || rule.size() != 2 || !rule.get(0).isTextual() || !rule.get(1).isTextual()) {
            return new String[0];
        }
        return new String[] {rule.get(0).asText(), rule.get(1).asText()};
    }

    private List<AddedToken> addedTokens(JsonNode node, BpeModel model) {
        List<AddedToken> tokens = new ArrayList<>();
        if (node == null || node.isNull()) {
            return tokens;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode token = node.get(i);
            String where = "added_tokens[" + i + "]";
            String content = json.text(token, "content", where);
            // HF keeps the model's id for content the model already has.
            Integer id = model.vocab().get(content);
            tokens.add(new AddedToken(
                    id != null ? id : json.integer(token, "id", where),
                    content,
                    json.bool(token, "special", false, where),
                    json.bool(token, "single_word", false, where),
                    json.bool(token, "lstrip", false, where),
                    json.bool(token, "rstrip", false, where),
                    json.bool(token, "normalized", true, where)));
        }
        return tokens;
    }
}
