/**
 * The {@code podserve} command: one picocli subcommand per file, each a thin shell over the modules
 * that do the work, printing what a person debugging a model or a deployment needs to see.
 */
package io.podserve.cli;
