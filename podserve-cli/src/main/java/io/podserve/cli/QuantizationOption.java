package io.podserve.cli;

import picocli.CommandLine.Option;

/** The {@code --quantization} option of every command that loads a model for compute. */
public final class QuantizationOption {
    @Option(names = "--quantization", paramLabel = "q8",
            description = "quantize matmul weights at load: q8 = 8-bit blocks of 32 with an f32 scale (default: as stored)")
    String quantization;

    /** Whether q8 was asked for; anything but q8 is a user error naming the choices. */
    public boolean q8() {
        if (quantization == null) {
            return false;
        }
        if (!quantization.equals("q8")) {
            throw new IllegalArgumentException("--quantization takes q8, got '" + quantization + "'");
        }
        return true;
    }
}
