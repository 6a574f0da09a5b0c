package dev.nhigraph.api;

import java.nio.file.Path;

/**
 * The server's admission settings.
 *
 * @param tokens    the bearer tokens every /api route except /api/health requires
 * @param tokenFile the file the tokens came from, where a rotated read token is written, or null when they came from
 *                  the environment or live in memory
 * @param limits    the bounds of every request
 * @param tls       the keystore to serve HTTPS with, or null for plain HTTP
 * @param reportDir the folder of the findings reports that GET /api/reports lists, or null when there is none
 */
public record ServerSettings(ApiTokens tokens, Path tokenFile, ServerLimits limits, TlsKeystore tls, Path reportDir) {

    public ServerSettings {
        if (tokens == null || limits == null) {
            throw new IllegalArgumentException("The server needs tokens and limits; there is no way to serve without them.");
        }
    }

    /** Settings of a server without a report folder. */
    public ServerSettings(ApiTokens tokens, Path tokenFile, ServerLimits limits, TlsKeystore tls) {
        this(tokens, tokenFile, limits, tls, null);
    }
}
