package dev.nhigraph.api;

import io.javalin.http.Context;

/**
 * The response headers that keep the page and the API from being framed, sniffed, cached or used to leak addresses.
 */
final class SecurityHeaders {

    /**
     * Cytoscape.js 3.33.1 adds one style element to the page, ".__________cytoscape_container { position: relative; }",
     * and this is the SHA-256 of that text. The hash admits that exact text and no other inline style. A Cytoscape.js
     * that changes the text is blocked, and the browser test reports that as a CSP violation.
     */
    static final String CYTOSCAPE_STYLE_HASH = "'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8='";

    /**
     * Only the server's own scripts, styles and API; no inline script, no plugins, no framing. Cytoscape.js draws on a
     * canvas and sets element styles through the DOM, which style-src does not restrict.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' "
            + CYTOSCAPE_STYLE_HASH + "; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none';"
            + " form-action 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    static void add(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        if (ctx.path().startsWith("/api/")) {
            // API responses describe how to take over accounts, so no browser or proxy may keep a copy.
            ctx.header("Cache-Control", "no-store");
        }
    }
}
