/**
 * Calibration: fits a hardware profile's host costs and efficiency curves so that the cost model
 * reproduces step times the serving system measured on that hardware.
 */
package io.podserve.planner.calibrate;
