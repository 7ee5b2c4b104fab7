package io.podserve.model.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The architectures podserve runs, by the {@code model_type} of their {@code config.json}. */
public enum ModelType {
    QWEN3("qwen3"),
    QWEN3_MOE("qwen3_moe"),
    DEEPSEEK_V3("deepseek_v3"),
    MIXTRAL("mixtral"),
    GPT_OSS("gpt_oss");

    private final String configName;

    ModelType(String configName) {
        this.configName = configName;
    }

    /** The {@code model_type} string of {@code config.json}. */
    public String configName() {
        return configName;
    }

    /** Returns the type named {@code name}, or throws naming the supported ones. */
    public static ModelType fromConfigName(String name) {
        for (ModelType t : values()) {
            if (t.configName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown model_type '" + name + "'; podserve supports "
                + supportedNames() + (name != null && name.equals("kimi_k2")
                        ? " (Kimi-K2 checkpoints declare model_type deepseek_v3)" : ""));
    }

    public static String supportedNames() {
        return Arrays.stream(values()).map(ModelType::configName).collect(Collectors.joining(", "));
    }
}
