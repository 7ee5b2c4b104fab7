/**
 * {@code podserve plan} (rank deployments with the planner) and {@code podserve profile} (measure
 * this machine's operator times into a hardware profile the planner reads).
 */
package io.podserve.cli.plan;
