/**
 * The in-process transport: a group of communicators in one JVM, one per thread, over the shared-memory
 * transport's slot rings in anonymous memory. For tests of protocols and collectives without processes.
 */
package io.podserve.xccl.inproc;
