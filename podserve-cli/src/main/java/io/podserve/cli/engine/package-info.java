/**
 * CLI pieces shared by the commands that run the serving engine: its options, loading a model
 * for serving, and {@code bench-engine} (engine-only throughput, the baseline for server overhead).
 */
package io.podserve.cli.engine;
