/**
 * JMH micro-benchmarks of podserve's components, each with a {@code @Param} grid; results go to
 * docs/benchmarks.md with the command that produced them.
 */
package io.podserve.jmh;
