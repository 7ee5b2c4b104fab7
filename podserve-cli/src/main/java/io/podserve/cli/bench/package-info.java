/**
 * The engine-only benchmark behind {@code podserve bench-model}: step times of the collocated
 * model, held against a roofline built from limits the benchmark measures on the machine itself.
 */
package io.podserve.cli.bench;
