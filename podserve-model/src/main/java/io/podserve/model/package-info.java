/**
 * What a model is: its normalized config, its memory-mapped weights, its tokenizer and its chat
 * template. Nothing here computes; the kernels and units read what this module loads.
 */
package io.podserve.model;
