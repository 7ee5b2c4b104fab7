package io.podserve.units.placement;

import io.podserve.units.Activation;
import io.podserve.units.Step;
import io.podserve.units.Unit;

/**
 * Every unit as if remote: the input is encoded ({@link Wire}) into a fresh byte array and decoded
 * into fresh segments before the call, and so is the output after it, so no unit sees another's
 * memory. Counts the bytes that crossed, for placement planning. Owned by the executor thread.
 */
public final class CopyingPlacement implements Placement {
    private long bytesCopied;

    @Override
    public <I extends Activation, O extends Activation> O call(Unit<I, O> unit, Step step, I input) {
        I sent = roundTrip(input);
        O output = unit.forward(step, sent);
        return roundTrip(output);
    }

    /** Bytes encoded so far, inputs and outputs together. */
    public long bytesCopied() {
        return bytesCopied;
    }

    @SuppressWarnings("unchecked") // Wire decodes the same record type it encoded
    private <A extends Activation> A roundTrip(A activation) {
        byte[] bytes = Wire.encode(activation);
        bytesCopied += bytes.length;
        return (A) Wire.decode(bytes);
    }
}
