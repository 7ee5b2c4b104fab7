/**
 * What the planner plans for: hardware profiles (peak FLOP/s per dtype, memory, links, host
 * dispatch, efficiency curves) loaded from YAML that users extend, and models from any config.json.
 */
package io.podserve.planner.catalog;
