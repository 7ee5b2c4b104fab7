/**
 * MoE dispatch and combine over a communicator: token rows routed to the ranks that own their experts, with
 * expert ids and gate weights (optionally int8 per-row quantized), and the weighted results summed back.
 */
package io.podserve.xccl.moe;
