/**
 * The deployment planner: given a model, hardware, a workload and latency targets, it estimates the
 * goodput of candidate deployments from an operator-level cost model and a request-level
 * simulation of the serving scheduler, and ranks them.
 */
package io.podserve.planner;
