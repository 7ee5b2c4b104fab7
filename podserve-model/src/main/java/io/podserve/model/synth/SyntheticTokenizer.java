package io.podserve.model.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podserve.model.tokenizer.ByteLevelAlphabet;

import java.util.List;

/**
 * A byte-level BPE tokenizer with no merges: one token per byte plus ChatML's special tokens, then
 * filler tokens up to the model's vocabulary size so every id a random model emits decodes (id
 * {@code i} reads " t{i}"). Every text encodes (one id per UTF-8 byte, as no merge ever makes a
 * filler), and it needs no download. Random weights say nothing anyway; this lets the whole
 * pipeline run.
 */
final class SyntheticTokenizer {
    static final List<String> SPECIAL = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SyntheticTokenizer() {
    }

    /** The id of the first special token; the byte tokens take 0..255. */
    static int firstSpecialId() {
        return 256;
    }

    static String tokenizerJson(int vocabSize) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < SPECIAL.size(); i++) {
            ObjectNode t = added.addObject();
            t.put("id", firstSpecialId() + i).put("content", SPECIAL.get(i)).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel().put("use_regex", true));
        root.set("post_processor", byteLevel().put("trim_offsets", false));
        root.set("decoder", byteLevel().put("trim_offsets", true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout").putNull("unk_token").putNull("continuing_subword_prefix")
                .putNull("end_of_word_suffix").put("fuse_unk", false).put("byte_fallback", false)
                .put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(ByteLevelAlphabet.charOf(b)), b);
        }
        for (int i = 0; i < SPECIAL.size(); i++) {
            vocab.put(SPECIAL.get(i), firstSpecialId() + i);
        }
        // "Ġ" is the byte-level alphabet's space: filler i decodes to " t" + i.
        for (int id = firstSpecialId() + SPECIAL.size(); id < vocabSize; id++) {
            vocab.put(ByteLevelAlphabet.charOf(' ') + "t" + id, id);
        }
        model.putArray("merges");
        return root.toPrettyString();
    }

    static String tokenizerConfigJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("tokenizer_class", "PreTrainedTokenizerFast").putNull("bos_token").put("eos_token", "<|im_end|>")
                .put("pad_token", "<|endoftext|>").put("chat_template",
                        "{%- for message in messages %}{{- '<|im_start|>' + message['role'] + '\\n' + message['content']"
                                + " + '<|im_end|>\\n' }}{%- endfor %}{%- if add_generation_prompt %}"
                                + "{{- '<|im_start|>assistant\\n' }}{%- endif %}");
        return root.toPrettyString();
    }

    private static ObjectNode byteLevel() {
        return JSON.createObjectNode().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true);
    }
}
