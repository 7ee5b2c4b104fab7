package io.podserve.bench.workload;

import org.apache.commons.rng.UniformRandomProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * Prompts of random common English words.
 *
 * <p>NOTE: the benchmark has no tokenizer (it talks to any server), so it cannot draw random token
 * ids as vLLM's random dataset does. It draws words that byte-pair vocabularies hold as one token
 * each (with their leading space), so a prompt of N words is close to N tokens; the server's
 * {@code usage.prompt_tokens} gives the exact count in the results. Random words, not one repeated
 * word, keep the prefix cache from matching across requests unless a shared prefix is asked for.
 */
final class SyntheticDataset {
    // Short, frequent words: one token each in the Llama, Qwen, DeepSeek and GPT vocabularies.
    private static final String[] WORDS = (
            "the of and to in is was for on that with as by at from it his an were are which be this "
            + "has also or had its not but first one their after new two they who her she been other "
            + "when time all during into school there city more would world most over some year state "
            + "only up these about later than years many people made team war where while used three "
            + "then them between well under both known can before through part such game film since "
            + "work being each life back south music north what may several season early number name "
            + "group family second house did area high four national found last best long album won "
            + "became went around until left way day will same however").split(" ");

    private final UniformRandomProvider random;
    private final int inputLen;
    private final int outputLen;
    private final double rangeRatio;
    private final String prefix;
    private final int prefixLen;

    SyntheticDataset(UniformRandomProvider random, int inputLen, int outputLen, double rangeRatio, int prefixLen) {
        this.random = random;
        this.inputLen = inputLen;
        this.outputLen = outputLen;
        this.rangeRatio = rangeRatio;
        this.prefixLen = prefixLen;
        this.prefix = words(prefixLen);
    }

    List<BenchRequest> requests(int numPrompts) {
        List<BenchRequest> requests = new ArrayList<>(numPrompts);
        for (int i = 0; i < numPrompts; i++) {
            int numWords = drawLength(inputLen);
            String body = words(numWords);
            String prompt = prefix.isEmpty() ? body : prefix + " " + body;
            requests.add(new BenchRequest(prompt, prefixLen + numWords, drawLength(outputLen)));
        }
        return requests;
    }

    /** A length drawn uniformly from {@code len * [1 - rangeRatio, 1 + rangeRatio]}, at least 1. */
    private int drawLength(int len) {
        if (rangeRatio == 0) {
            return len;
        }
        int lo = Math.max(1, (int) Math.floor(len * (1 - rangeRatio)));
        int hi = (int) Math.ceil(len * (1 + rangeRatio));
        return lo + random.nextInt(hi - lo + 1);
    }

    private String words(int count) {
        StringBuilder sb = new StringBuilder(count * 6);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }
}
