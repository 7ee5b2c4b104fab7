/**
 * {@code podserve xccl-bench}: xccl's send/recv latency and bandwidth and MoE dispatch/combine time, with ranks
 * as processes, beside Aeron IPC running the same ping-pong and stream, and single-thread memcpy bandwidth as
 * the physical limit. Aeron is a dependency of this package only, never of podserve-xccl.
 */
package io.podserve.cli.bench.xccl;
