/**
 * From request records to the numbers a run reports: latency statistics over HdrHistogram,
 * throughput, SLO attainment and goodput, and the printed table.
 */
package io.podserve.bench.report;
