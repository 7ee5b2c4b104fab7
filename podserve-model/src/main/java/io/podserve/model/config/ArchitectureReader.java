package io.podserve.model.config;

/** Reads the parts of {@code config.json} that differ between architecture families. */
interface ArchitectureReader {

    /** Default {@code rope_theta} of the family's transformers config class. */
    double defaultRopeTheta();

    Parts read(ConfigFields f, int numLayers);

    /**
     * @param intermediateSize dense FFN width, 0 when the family has none
     * @param swigluLimit      clamp of the gated activation, 0 when unclamped
     */
    record Parts(int intermediateSize, double swigluLimit, AttentionConfig attention, MoeConfig moe) {
    }

    static ArchitectureReader of(ModelType type) {
        return switch (type) {
            case QWEN3, QWEN3_MOE -> new QwenReader(type);
            case MIXTRAL -> new MixtralReader();
            case DEEPSEEK_V3 -> new DeepseekV3Reader();
            case GPT_OSS -> new GptOssReader();
        };
    }
}
