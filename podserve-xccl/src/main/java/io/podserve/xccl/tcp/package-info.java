/**
 * The TCP transport for ranks on different hosts: one Netty connection per pair carrying the same frames
 * (tag, event id, message size, chunk offset, payload) that the shared-memory rings carry.
 */
package io.podserve.xccl.tcp;
