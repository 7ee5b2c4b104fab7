/**
 * The shared-memory transport: one mailbox file in /dev/shm per receiving rank, holding a single-producer
 * single-consumer ring of fixed-size slots per sender. The in-process transport runs the same rings over
 * anonymous memory.
 */
package io.podserve.xccl.shm;
