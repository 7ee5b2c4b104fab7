/** What a plan prints and writes: the ranked table, one strategy's step by operator, JSON, the Pareto chart. */
package io.podserve.planner.report;
