/**
 * A checkpoint as a whole: the tensors its config implies (names and shapes as the hub stores them),
 * checked against the weights on disk, and the summaries {@code podserve inspect} prints.
 */
package io.podserve.model.checkpoint;
