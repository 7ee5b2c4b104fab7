package io.podserve.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Builds the normalizer, pre-tokenizer, post-processor and decoder that tokenizer.json names. */
final class ComponentFactory {
    static final String NORMALIZERS = "NFC, NFD, NFKC, NFKD, Prepend, Replace, Sequence";
    static final String PRE_TOKENIZERS = "ByteLevel, Digits, Metaspace, Split, Sequence";
    static final String POST_PROCESSORS = "ByteLevel, TemplateProcessing, Sequence";
    static final String DECODERS = "ByteLevel, ByteFallback, Fuse, Metaspace, Replace, Strip, Sequence";

    private final JsonFields json;

    ComponentFactory(JsonFields json) {
        this.json = json;
    }

    /** @return null where the JSON has none */
    Normalizer normalizer(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = json.type(node, where);
        return switch (type) {
            case "NFC" -> new Normalizer.Unicode(Form.NFC);
            case "NFD" -> new Normalizer.Unicode(Form.NFD);
            case "NFKC" -> new Normalizer.Unicode(Form.NFKC);
            case "NFKD" -> new Normalizer.Unicode(Form.NFKD);
            case "Prepend" -> new Normalizer.Prepend(json.text(node, "prepend", where));
            case "Replace" -> replaceNormalizer(node, where);
            case "Sequence" -> new Normalizer.Sequence(list(node, "normalizers", where, this::normalizer));
            default -> throw json.unsupported(where, type, NORMALIZERS);
        };
    }

    /** @return null where the JSON has none */
    PreTokenizer preTokenizer(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = json.type(node, where);
        return switch (type) {
            case "ByteLevel" -> new ByteLevelPreTokenizer(
                    json.bool(node, "add_prefix_space", true, where), json.bool(node, "use_regex", true, where));
            case "Digits" -> SplitPreTokenizer.digits(json.bool(node, "individual_digits", false, where));
            case "Metaspace" -> new MetaspacePreTokenizer(
                    Character.toString(json.codePoint(node, "replacement", where)),
                    prependScheme(node, where),
                    json.bool(node, "split", true, where));
            case "Split" -> new SplitPreTokenizer(
                    pattern(node, where), behavior(node, where), json.bool(node, "invert", false, where));
            case "Sequence" -> new PreTokenizer.Sequence(list(node, "pretokenizers", where, this::preTokenizer));
            default -> throw json.unsupported(where, type, PRE_TOKENIZERS);
        };
    }

    /** @return {@link PostProcessor#NONE} where the JSON has none */
    PostProcessor postProcessor(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return PostProcessor.NONE;
        }
        String type = json.type(node, where);
        return switch (type) {
            case "ByteLevel" -> PostProcessor.NONE;
            case "TemplateProcessing" -> template(node, where);
            case "Sequence" -> new PostProcessor.Sequence(list(node, "processors", where, this::postProcessor));
            default -> throw json.unsupported(where, type, POST_PROCESSORS);
        };
    }

    /** @return {@link DecoderChain#none()} where the JSON has none */
    DecoderChain decoder(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return DecoderChain.none();
        }
        List<DecoderChain.Step> steps = new ArrayList<>();
        addDecoderSteps(node, where, steps);
        return new DecoderChain(steps);
    }

    private void addDecoderSteps(JsonNode node, String where, List<DecoderChain.Step> steps) {
        String type = json.type(node, where);
        switch (type) {
            case "ByteLevel" -> steps.add(ByteDecodeStages.ByteLevel::new);
            case "ByteFallback" -> steps.add(ByteDecodeStages.ByteFallback::new);
            case "Fuse" -> steps.add(TextDecodeStages.Fuse::new);
            case "Replace" -> steps.add(replaceDecoder(node, where));
            case "Strip" -> steps.add(stripDecoder(node, where));
            case "Metaspace" -> steps.add(metaspaceDecoder(node, where));
            case "Sequence" -> {
                JsonNode decoders = json.node(node, "decoders", where);
                for (int i = 0; i < decoders.size(); i++) {
                    addDecoderSteps(decoders.get(i), where + ".decoders[" + i + "]", steps);
                }
            }
            default -> throw json.unsupported(where, type, DECODERS);
        }
    }

    private DecoderChain.Step replaceDecoder(JsonNode node, String where) {
        JsonNode pattern = json.node(node, "pattern", where);
        if (!pattern.has("String")) {
            throw json.fail(where + ".pattern: only {\"String\": ...} patterns are supported in a"
                    + " Replace decoder, not " + pattern);
        }
        String target = json.text(pattern, "String", where + ".pattern");
        String content = json.text(node, "content", where);
        return next -> new TextDecodeStages.Replace(next, target, content);
    }

    private DecoderChain.Step stripDecoder(JsonNode node, String where) {
        int content = json.codePoint(node, "content", where);
        int start = json.integer(node, "start", where);
        int stop = json.integer(node, "stop", where);
        return next -> new TextDecodeStages.Strip(next, content, start, stop);
    }

    private DecoderChain.Step metaspaceDecoder(JsonNode node, String where) {
        int replacement = json.codePoint(node, "replacement", where);
        boolean drop = prependScheme(node, where) != MetaspacePreTokenizer.PrependScheme.NEVER;
        return next -> new TextDecodeStages.Metaspace(next, replacement, drop);
    }

    /** Newer files say {@code prepend_scheme}; older ones {@code add_prefix_space} (true: always). */
    private MetaspacePreTokenizer.PrependScheme prependScheme(JsonNode node, String where) {
        String scheme = json.optionalText(node, "prepend_scheme", where);
        if (scheme == null) {
            return json.bool(node, "add_prefix_space", true, where)
                    ? MetaspacePreTokenizer.PrependScheme.ALWAYS
                    : MetaspacePreTokenizer.PrependScheme.NEVER;
        }
        MetaspacePreTokenizer.PrependScheme parsed = MetaspacePreTokenizer.PrependScheme.fromJson(scheme);
        if (parsed == null) {
            throw json.fail(where + ".prepend_scheme \"" + scheme + "\" is not one of first, always, never");
        }
        return parsed;
    }

    private Normalizer replaceNormalizer(JsonNode node, String where) {
        JsonNode pattern = json.node(node, "pattern", where);
        String content = json.text(node, "content", where);
        if (pattern.has("String")) {
            return new Normalizer.ReplaceLiteral(json.text(pattern, "String", where + ".pattern"), content);
        }
        return new Normalizer.ReplaceRegex(regex(pattern, where + ".pattern"), content);
    }

    private MatchFinder pattern(JsonNode node, String where) {
        JsonNode pattern = json.node(node, "pattern", where);
        if (pattern.has("String")) {
            return new MatchFinder.Literal(json.text(pattern, "String", where + ".pattern"));
        }
        return new MatchFinder.Regex(regex(pattern, where + ".pattern"));
    }

    private Pattern regex(JsonNode pattern, String where) {
        String regex = json.optionalText(pattern, "Regex", where);
        if (regex == null) {
            throw json.fail(where + " must be {\"String\": ...} or {\"Regex\": ...}, not " + pattern);
        }
        try {
            return OnigRegex.compile(regex);
        } catch (PatternSyntaxException e) {
            throw json.fail(where + ": cannot compile regex " + regex + ": " + e.getDescription(), e);
        }
    }

    private SplitBehavior behavior(JsonNode node, String where) {
        String name = json.text(node, "behavior", where);
        SplitBehavior behavior = SplitBehavior.fromJson(name);
        if (behavior == null) {
            throw json.fail(where + ".behavior \"" + name + "\" is not one of Removed, Isolated,"
                    + " MergedWithPrevious, MergedWithNext, Contiguous");
        }
        return behavior;
    }

    private PostProcessor template(JsonNode node, String where) {
        JsonNode single = json.node(node, "single", where);
        JsonNode specials = json.node(node, "special_tokens", where);
        IntList before = new IntList(4);
        IntList after = new IntList(4);
        boolean seenSequence = false;
        for (int i = 0; i < single.size(); i++) {
            JsonNode part = single.get(i);
            String partWhere = where + ".single[" + i + "]";
            if (part.has("Sequence")) {
                seenSequence = true;
            } else {
                String name = json.text(json.node(part, "SpecialToken", partWhere), "id", partWhere + ".SpecialToken");
                JsonNode ids = json.node(json.node(specials, name, where + ".special_tokens"), "ids", where);
                IntList side = seenSequence ? after : before;
                ids.forEach(id -> side.add(id.asInt()));
            }
        }
        if (!seenSequence) {
            throw json.fail(where + ".single has no {\"Sequence\": ...} entry for the text itself");
        }
        return new PostProcessor.Template(before.toArray(), after.toArray());
    }

    private <T> List<T> list(JsonNode node, String field, String where, BiFunction<JsonNode, String, T> read) {
        JsonNode items = json.node(node, field, where);
        List<T> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            T item = read.apply(items.get(i), where + "." + field + "[" + i + "]");
            if (item != null) {
                out.add(item);
            }
        }
        return out;
    }
}
