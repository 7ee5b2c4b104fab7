/**
 * Decode and prefill speed of podserve beside a peer Java engine (Jlama) on the same checkpoint,
 * same threads, in the same benchmark run: the ratio the issue tracker asks for.
 */
package io.podserve.jmh.peer;
