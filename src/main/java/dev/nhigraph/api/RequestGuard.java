package dev.nhigraph.api;

import dev.nhigraph.api.ApiTokens.Caller;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.util.Optional;

/**
 * The checks every /api request passes before its handler runs, in this order: the per-client rate limit (429), the
 * size of the query string (400) and of the body (413), the bearer token (401), and the route's role (403).
 *
 * <p>The rate limit comes first so that guessing tokens is rate-limited too. Every rejection is an {@link ApiException}
 * whose message names the limit or what to send, and which the server turns into the one JSON error body.
 */
final class RequestGuard {

    static final String CALLER = "caller";
    static final String WHO = "auditWho";
    private static final String BEARER = "Bearer ";

    private final ServerSettings settings;
    private final RateLimiter rateLimiter;

    RequestGuard(ServerSettings settings) {
        this.settings = settings;
        ServerLimits limits = settings.limits();
        this.rateLimiter = new RateLimiter(limits.requestsPerMinute(), limits.burst(), System::nanoTime);
    }

    /** Runs before every /api request, matched to a route or not. */
    void beforeApi(Context ctx) {
        ctx.attribute(WHO, "none");
        limitRate(ctx);
        limitSize(ctx);
        authenticate(ctx);
    }

    /** Runs before a matched /api route: a route registered with a role needs a caller that has it. */
    void beforeRoute(Context ctx) {
        ApiRole required = ctx.routeRoles().contains(ApiRole.ADMIN) ? ApiRole.ADMIN
                : ctx.routeRoles().contains(ApiRole.READ) ? ApiRole.READ : null;
        if (required == null) {
            // authenticate() has already required a valid token on every route but the health check.
            return;
        }
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw missingToken(ctx);
        }
        if (!caller.role().allows(required)) {
            String hint = !settings.tokens().hasAdminToken()
                    ? "This server has no admin token; restart it with " + TokenFile.ADMIN_TOKEN_ENV + " set, or with a token file."
                    : settings.tokenFile() != null ? "Send the admin= token from " + tokenFile() + "."
                    : "Send the admin token in " + TokenFile.ADMIN_TOKEN_ENV + "; a demo without a token file keeps"
                    + " its admin token in memory, so start `nhigraph demo --data-dir DIR` to get one in a file.";
            throw new ApiException(403, ctx.method() + " " + ctx.path() + " needs the admin token, and the request"
                    + " carries the read-only token. " + hint);
        }
    }

    private void limitRate(Context ctx) {
        long retryAfter = rateLimiter.acquire(ctx.ip());
        if (retryAfter > 0) {
            ctx.header(Header.RETRY_AFTER, Long.toString(retryAfter));
            throw new ApiException(429, "Too many requests from " + ctx.ip() + ": the limit is "
                    + settings.limits().requestsPerMinute() + " requests a minute per client, with bursts of "
                    + settings.limits().burst() + ". Retry after " + retryAfter + " s.");
        }
    }

    private void limitSize(Context ctx) {
        String query = ctx.queryString();
        int maxQuery = settings.limits().maxQueryChars();
        if (query != null && query.length() > maxQuery) {
            throw new ApiException(400, "The query string has " + query.length() + " characters, over the limit of "
                    + maxQuery + ". Shorten the parameters.");
        }
        long maxBody = settings.limits().maxBodyBytes();
        long length = ctx.contentLength();
        if (length > maxBody) {
            throw new ApiException(413, "The request body has " + length + " bytes, over the limit of " + maxBody
                    + " bytes. Send a smaller body.");
        }
    }

    private void authenticate(Context ctx) {
        String header = ctx.header(Header.AUTHORIZATION);
        if (header == null) {
            if (!ctx.path().equals(ApiServer.HEALTH)) {
                throw missingToken(ctx);
            }
            return;
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            ctx.attribute(WHO, "invalid");
            throw new ApiException(401, "The Authorization header is not of the form \"Bearer TOKEN\". Send "
                    + tokenSource() + ".");
        }
        Optional<Caller> caller = settings.tokens().authenticate(header.substring(BEARER.length()).strip());
        if (caller.isEmpty()) {
            ctx.attribute(WHO, "invalid");
            throw new ApiException(401, "The bearer token is not valid for this server. Send "
                    + tokenSource() + "; a rotated token is no longer valid.");
        }
        ctx.attribute(CALLER, caller.get());
        ctx.attribute(WHO, caller.get().who());
    }

    private ApiException missingToken(Context ctx) {
        return new ApiException(401, ctx.method() + " " + ctx.path() + " needs a bearer token: send the header"
                + " \"Authorization: Bearer TOKEN\" with " + tokenSource() + ".");
    }

    /** Returns where a caller of this server finds a token, so that a 401 names the file, variable or address in use. */
    private String tokenSource() {
        if (settings.tokenFile() != null) {
            // The file's path is left out: a caller without a valid token learns nothing about the server's disk.
            return "a token from the server's token file (read= or admin=), whose path the server printed at start";
        }
        return "the token in " + TokenFile.API_TOKEN_ENV + " that the server was started with, or, for `nhigraph demo`,"
                + " the one after #token= in the address it printed at start";
    }

    private String tokenFile() {
        return settings.tokenFile().toAbsolutePath().normalize().toString();
    }
}
