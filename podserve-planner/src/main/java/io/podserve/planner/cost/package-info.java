/**
 * The cost of one serving step: every operator as FLOPs and bytes on a roofline with efficiency
 * curves, host dispatch per kernel, and communication under an alpha-beta model.
 */
package io.podserve.planner.cost;
