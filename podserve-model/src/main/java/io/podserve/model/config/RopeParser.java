package io.podserve.model.config;

import io.podserve.model.config.RopeConfig.RopeType;

/**
 * Reads rotary parameters from either spelling a hub config may use:
 * <ul>
 *   <li>current (transformers 5): {@code "rope_parameters": {"rope_type": …, "rope_theta": …, …}};
 *   <li>legacy: top-level {@code "rope_theta"} and {@code "rope_scaling": {"type" | "rope_type": …, …}}
 *       or {@code "rope_scaling": null} for plain RoPE.
 * </ul>
 */
final class RopeParser {
    private RopeParser() {
    }

    static RopeConfig parse(ConfigFields top, double defaultTheta) {
        ConfigFields params = top.object("rope_parameters");
        ConfigFields scaling = params != null ? params : top.object("rope_scaling");
        double theta = params != null && params.has("rope_theta")
                ? params.doubleOr("rope_theta", defaultTheta)
                : top.doubleOr("rope_theta", defaultTheta);
        double partial = top.doubleOr("partial_rotary_factor",
                scaling == null ? 1.0 : scaling.doubleOr("partial_rotary_factor", 1.0));
        if (scaling == null) {
            return withPartial(RopeConfig.plain(theta), partial);
        }
        String typeName = scaling.stringOr("rope_type", scaling.stringOr("type", "default"));
        RopeType type;
        try {
            type = RopeType.fromName(typeName);
        } catch (IllegalArgumentException e) {
            throw scaling.error("rope_type", e.getMessage());
        }
        return new RopeConfig(
                type,
                theta,
                scaling.doubleOr("factor", 1.0),
                scaling.intOr("original_max_position_embeddings", 0),
                scaling.doubleOr("beta_fast", 32.0),
                scaling.doubleOr("beta_slow", 1.0),
                scaling.doubleOr("mscale", 0.0),
                scaling.doubleOr("mscale_all_dim", 0.0),
                scaling.doubleOr("attention_factor", Double.NaN),
                scaling.boolOr("truncate", true),
                scaling.doubleOr("low_freq_factor", 1.0),
                scaling.doubleOr("high_freq_factor", 4.0),
                partial);
    }

    private static RopeConfig withPartial(RopeConfig r, double partial) {
        return new RopeConfig(r.type(), r.theta(), r.factor(), r.originalMaxPositionEmbeddings(), r.betaFast(),
                r.betaSlow(), r.mscale(), r.mscaleAllDim(), r.attentionFactor(), r.truncate(), r.lowFreqFactor(),
                r.highFreqFactor(), partial);
    }
}
