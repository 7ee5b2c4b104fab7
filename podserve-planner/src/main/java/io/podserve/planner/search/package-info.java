/**
 * Deployment strategies (collocated, prefill/decode disaggregated, MoE/attention disaggregated),
 * their evaluation to goodput by bisection over the simulator, and the search that ranks every
 * feasible one for a number of chips.
 */
package io.podserve.planner.search;
