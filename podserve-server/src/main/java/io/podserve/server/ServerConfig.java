package io.podserve.server;

import java.time.Duration;

/**
 * How the HTTP server runs.
 *
 * @param host          interface to bind, e.g. 127.0.0.1 or 0.0.0.0
 * @param port          TCP port; 0 picks a free one (tests)
 * @param apiKey        key every /v1 request must present as a bearer token; null: no check
 * @param maxBodyBytes  larger request bodies get 413
 * @param shutdownGrace how long a graceful stop lets in-flight requests finish before ending them
 */
public record ServerConfig(String host, int port, String apiKey, long maxBodyBytes, Duration shutdownGrace) {
    /** 8 MiB of JSON is far beyond any prompt that fits a context window here. */
    public static final long DEFAULT_MAX_BODY_BYTES = 8L << 20;

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be > 0, got " + maxBodyBytes);
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("the API key is blank; leave it out to serve without one");
        }
    }

    public static ServerConfig onPort(int port) {
        return new ServerConfig("127.0.0.1", port, null, DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(30));
    }

    public ServerConfig withApiKey(String key) {
        return new ServerConfig(host, port, key, maxBodyBytes, shutdownGrace);
    }

    public ServerConfig withMaxBodyBytes(long bytes) {
        return new ServerConfig(host, port, apiKey, bytes, shutdownGrace);
    }

    public ServerConfig withShutdownGrace(Duration grace) {
        return new ServerConfig(host, port, apiKey, maxBodyBytes, grace);
    }
}
