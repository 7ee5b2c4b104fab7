/**
 * HTTP plumbing on Javalin: the completion handler that drives one engine request to a JSON
 * response or an SSE stream, the OpenAI error shape, and the API-key check.
 */
package io.podserve.server.http;
