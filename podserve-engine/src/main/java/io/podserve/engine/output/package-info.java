/**
 * Turning sampled tokens into the text a client sees: incremental detokenization, stop strings
 * (text that could begin one is held back until it cannot), and the final flush.
 */
package io.podserve.engine.output;
