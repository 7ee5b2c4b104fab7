/**
 * The KV block manager: paged KV-cache blocks handed to sequences, shared through a prefix cache
 * of full blocks, and reclaimed in a documented eviction order.
 */
package io.podserve.engine.kv;
