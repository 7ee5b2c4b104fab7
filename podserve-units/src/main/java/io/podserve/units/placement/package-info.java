/**
 * Where units run and how activations reach them: locally by direct call, or serialized across
 * every unit boundary as a remote placement will send them.
 */
package io.podserve.units.placement;
