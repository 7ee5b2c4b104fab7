/**
 * JMH micro-benchmarks of podserve's components, each with a {@code @Param} grid, and a measurement
 * of this machine's memory bandwidth and peak FMA rate to state their results against.
 */
package io.podserve.jmh;
