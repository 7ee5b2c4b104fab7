/**
 * xccl, podserve's communication library: a {@link io.podserve.xccl.Communicator} over N ranks formed by a
 * rendezvous, tagged asynchronous send/recv of off-heap segments, small collectives, and the failure model.
 * Transports live in sub-packages ({@code shm}, {@code tcp}); MoE dispatch/combine in {@code moe}.
 */
package io.podserve.xccl;
