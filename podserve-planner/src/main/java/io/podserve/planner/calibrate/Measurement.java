package io.podserve.planner.calibrate;

import io.podserve.planner.cost.StepBatch;

/** One measured step: what it computed and how long it took. */
public record Measurement(String label, StepBatch batch, double seconds) {
}
