package io.podserve.bench.workload;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the prompts come from: synthetic random words when {@code file} is null, else a JSONL file
 * (see {@link JsonlDataset} for its format).
 *
 * @param inputLen   synthetic prompt length in words (about one token each)
 * @param outputLen  requested output tokens, for synthetic prompts and file lines that give none
 * @param rangeRatio synthetic lengths are drawn uniformly from {@code len * [1 - r, 1 + r]}
 * @param prefixLen  words of one shared prefix put in front of every synthetic prompt
 */
public record DatasetSpec(Path file, int inputLen, int outputLen, double rangeRatio, int prefixLen) {
    public DatasetSpec {
        if (inputLen < 1) {
            throw new IllegalArgumentException("--input-len must be at least 1, got " + inputLen);
        }
        if (outputLen < 1) {
            throw new IllegalArgumentException("--output-len must be at least 1, got " + outputLen);
        }
        if (!(rangeRatio >= 0 && rangeRatio < 1)) {
            throw new IllegalArgumentException("--range-ratio must be in [0, 1), got " + rangeRatio);
        }
        if (prefixLen < 0) {
            throw new IllegalArgumentException("--prefix-len must not be negative, got " + prefixLen);
        }
    }

    /** Synthetic prompts of {@code inputLen} words asking for {@code outputLen} tokens each. */
    public static DatasetSpec synthetic(int inputLen, int outputLen) {
        return new DatasetSpec(null, inputLen, outputLen, 0, 0);
    }

    /** {@code numPrompts} requests; the same seed gives the same prompts. */
    public List<BenchRequest> requests(int numPrompts, long seed) {
        if (file != null) {
            return JsonlDataset.read(file, numPrompts, outputLen);
        }
        UniformRandomProvider random = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        return new SyntheticDataset(random, inputLen, outputLen, rangeRatio, prefixLen).requests(numPrompts);
    }

    /** How the dataset is named in reports. */
    public String describe() {
        return file != null ? file.toString()
                : "synthetic (input " + inputLen + ", output " + outputLen + ", range ratio " + rangeRatio
                        + ", prefix " + prefixLen + ")";
    }
}
