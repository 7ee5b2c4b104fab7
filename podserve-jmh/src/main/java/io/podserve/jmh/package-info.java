/**
 * JMH benchmarks of podserve's kernels, and a measurement of this machine's memory bandwidth and
 * peak f32 FMA rate to state the kernels' results against.
 */
package io.podserve.jmh;
