/**
 * A model's {@code config.json} and {@code generation_config.json}, read in every form the hub has
 * used and normalized into one immutable {@link io.podserve.model.config.ModelConfig}.
 */
package io.podserve.model.config;
