/**
 * JMH micro-benchmarks of podserve's components, each with a {@code @Param} grid; the machine's
 * limits to hold them against come from {@code io.podserve.kernels.cpu.MachineLimits}.
 */
package io.podserve.jmh;
