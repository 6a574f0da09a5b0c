package dev.nhigraph.api;

import dev.nhigraph.BadInputException;
import dev.nhigraph.audit.Audit;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.analysis.BlastRadius;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.PathAnswers;
import dev.nhigraph.analysis.PathSearch;
import dev.nhigraph.analysis.RevokePlan;
import dev.nhigraph.analysis.SnapshotDiff;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: the JSON API and the browser view in {@code web/}, on one port.
 *
 * <p>Routes, with the token each needs ({@link ApiRole}); every /api request first passes {@link RequestGuard}:
 * <pre>
 *   GET /api/health                      none: status only; with a valid token also the Neo4j URI and latest snapshot
 *   -- read token (or admin token) --
 *   GET /api/principals?q=TEXT&amp;limit=N   principals whose ARN or name contains TEXT
 *   GET /api/diff?from=A&amp;to=B          what changed between two snapshots (default: the latest two)
 *   GET /api/blast-radius?id=ID&amp;depth=N  principals ID can become and what they can do
 *   GET /api/paths?from=ID&amp;to=admin|ID|ARN&amp;depth=N&amp;paths=K   paths, each step with its evidence
 *   GET /api/paths?to=admin|ID|ARN&amp;depth=N&amp;limit=K          who can reach the target, nearest first
 *   GET /api/revoke-plan?from=ID&amp;to=admin|ID|ARN&amp;depth=N  the fewest steps to cut, and the keys to revoke
 *   GET /api/can?principal=P&amp;action=A&amp;resource=R[&amp;context=K=V...]   one access decision with its statements
 *   POST /api/cypher, GET /api/queries, POST /api/queries/{name}   analyst Cypher, see {@link CypherRoutes}
 *   GET /api/openapi.json                the OpenAPI 3 description of these routes
 *   -- admin token --
 *   POST /api/admin/read-token           replaces the read token with a new random one and returns it
 *   -- no token --
 *   GET /                                the browser view; /webjars/... for Cytoscape.js
 * </pre>
 * Every error, including those of Javalin and Jetty, uses one shape, {@link ApiError}; no stack trace, class name or
 * database message reaches the client, and the cause goes to the log under the request id. NOTE: a java.lang.Error
 * thrown by a handler is the exception: Javalin responds with a bare 500 and logs it. Every /api request is
 * written to the audit log with the caller's token kind and id, never the token.
 */
public final class ApiServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 8080;
    static final String HEALTH = "/api/health";
    static final int MAX_SEARCH_LIMIT = 200;
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final GraphService graph;
    private final ServerSettings settings;
    private final RequestGuard guard;
    private Javalin app;

    public ApiServer(GraphService graph, ServerSettings settings) {
        this.graph = graph;
        this.settings = settings;
        this.guard = new RequestGuard(settings);
    }

    /**
     * Starts listening on {@code host}:{@code port}, over HTTPS when the settings carry a keystore; port 0 picks a free
     * one, which {@link #port()} then returns. Which addresses may be served over plain HTTP is the caller's decision
     * (see {@link BindPolicy}).
     *
     * @throws BadInputException when the port is taken
     */
    public ApiServer start(String host, int port) {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = settings.limits().maxBodyBytes();
            config.http.prefer405over404 = true;
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            if (settings.tls() != null) {
                config.jetty.addConnector((server, http) -> settings.tls().connector(server, http, host, port));
            }

            config.routes.before(ctx -> {
                String requestId = newRequestId();
                ctx.attribute("requestId", requestId);
                // Lets a user quote the id of a request that succeeded too, to find its audit line.
                ctx.header("X-Request-Id", requestId);
                SecurityHeaders.add(ctx);
            });
            config.routes.before("/api/*", guard::beforeApi);
            config.routes.beforeMatched("/api/*", guard::beforeRoute);

            config.routes.get(HEALTH, this::health);
            config.routes.get("/api/principals", this::principals, ApiRole.READ);
            config.routes.get("/api/blast-radius", this::blastRadius, ApiRole.READ);
            config.routes.get("/api/can", this::can, ApiRole.READ);
            config.routes.get("/api/paths", this::paths, ApiRole.READ);
            config.routes.get("/api/revoke-plan", this::revokePlan, ApiRole.READ);
            config.routes.get("/api/diff", this::diff, ApiRole.READ);
            config.routes.post("/api/admin/read-token", this::replaceReadToken, ApiRole.ADMIN);
            new CypherRoutes(graph).addTo(config.routes);
            new ReportRoutes(settings.reportDir()).addTo(config.routes);
            new ApiDescription().addTo(config.routes);

            ErrorResponses.register(config.routes, settings.limits());
            config.requestLogger.http((ctx, millis) -> audit(ctx));
        });
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            throw new BadInputException("Failed to start the HTTP server on " + host + ":" + port + " (" + rootMessage(e)
                    + "). Choose another port with --port.", e);
        }
        log.info("Serving the API and the browser view on {}://{}:{}/", scheme(), host, app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Returns https when the server has a keystore, else http. */
    public String scheme() {
        return settings.tls() == null ? "http" : "https";
    }

    /** Returns the running Javalin instance, for tests that compare the registered routes with the API description. */
    Javalin javalin() {
        return app;
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
            log.info("HTTP server stopped");
        }
    }

    /** Returns a new id for a request: 8 hex digits, enough to find one request in a day's log. */
    static String newRequestId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Responds without a token too, so that a load balancer or monitor can probe the server. It then returns only
     * that the server is up. The Neo4j URI and the snapshot's counts need a valid token.
     */
    private void health(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        if (ctx.attribute(RequestGuard.CALLER) != null) {
            body.put("neo4j", graph.neo4jUri());
            body.put("snapshot", graph.latestSnapshot());
        }
        ctx.json(body);
    }

    private void replaceReadToken(Context ctx) {
        String token = ApiTokens.generate();
        if (settings.tokenFile() != null) {
            TokenFile.replaceReadToken(settings.tokenFile(), token);
        }
        settings.tokens().replaceReadToken(token);
        log.warn("The read API token was replaced by an admin request [{}]; the new token id is {}", requestId(ctx),
                settings.tokens().readTokenId());

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("tokenId", settings.tokens().readTokenId());
        body.put("tokenFile", settings.tokenFile() == null ? null : settings.tokenFile().toAbsolutePath().normalize().toString());
        ctx.json(body);
    }

    private static void audit(Context ctx) {
        if (!ctx.path().startsWith("/api/")) {
            return;
        }
        String who = ctx.attribute(RequestGuard.WHO);
        Audit.apiRequest(who == null ? "none" : who, ctx.ip(), ctx.method().name(), ctx.path(), ctx.statusCode(), requestId(ctx));
    }

    private void principals(Context ctx) {
        String text = ctx.queryParam("q") == null ? "" : ctx.queryParam("q").strip();
        int limit = intParam(ctx, "limit", 20, 1, MAX_SEARCH_LIMIT);
        ctx.json(graph.searchPrincipals(text, limit));
    }

    private void blastRadius(Context ctx) {
        String id = ctx.queryParam("id");
        if (id == null || id.isBlank()) {
            throw new BadInputException("Missing query parameter id: give the ARN of a principal, for example"
                    + " /api/blast-radius?id=arn:aws:iam::123456789012:role/NAME");
        }
        int depth = intParam(ctx, "depth", BlastRadius.DEFAULT_MAX_DEPTH, 0, BlastRadius.MAX_DEPTH_LIMIT);
        String resolved = graph.resolvePrincipal(id.strip());
        if (resolved == null) {
            throw new NoSuchElementException("No principal " + id.strip() + " in the graph; search with /api/principals?q=NAME.");
        }
        ctx.json(withCredential(id.strip(), graph.blastRadius(resolved, depth)));
    }

    private void diff(Context ctx) {
        int maxItems = intParam(ctx, "maxItems", SnapshotDiff.DEFAULT_MAX_ITEMS, 1, 10_000);
        ctx.json(SnapshotDiff.between(graph.store(), blankToNull(ctx.queryParam("from")), blankToNull(ctx.queryParam("to")),
                maxItems));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private void paths(Context ctx) {
        String to = ctx.queryParam("to") == null || ctx.queryParam("to").isBlank() ? PathAnswers.ADMIN : ctx.queryParam("to").strip();
        int depth = intParam(ctx, "depth", PathSearch.DEFAULT_MAX_DEPTH, 0, PathSearch.MAX_DEPTH_LIMIT);
        if (!PathAnswers.ADMIN.equals(to)) {
            String principal = graph.resolvePrincipal(to);
            to = principal != null ? principal : to;
        }
        String from = ctx.queryParam("from");
        if (from == null || from.isBlank()) {
            int limit = intParam(ctx, "limit", PathAnswers.DEFAULT_SOURCES, 1, PathAnswers.MAX_SOURCES_LIMIT);
            ctx.json(graph.pathAnswers().reaching(to, depth, limit));
            return;
        }
        int maxPaths = intParam(ctx, "paths", PathSearch.DEFAULT_MAX_PATHS, 1, PathSearch.MAX_PATHS_LIMIT);
        String resolved = graph.resolvePrincipal(from.strip());
        if (resolved == null) {
            throw new NoSuchElementException("No principal " + from.strip() + " in the graph; search with /api/principals?q=NAME.");
        }
        ctx.json(withCredential(from.strip(), graph.pathAnswers().paths(resolved, to, depth, maxPaths)));
    }

    private void revokePlan(Context ctx) {
        String from = requiredParam(ctx, "from", "the leaked access key id, or the ARN, id or name of a principal");
        String to = ctx.queryParam("to") == null || ctx.queryParam("to").isBlank() ? PathAnswers.ADMIN : ctx.queryParam("to").strip();
        int depth = intParam(ctx, "depth", RevokePlan.DEFAULT_MAX_DEPTH, 0, RevokePlan.MAX_DEPTH_LIMIT);
        if (!PathAnswers.ADMIN.equals(to)) {
            String principal = graph.resolvePrincipal(to);
            to = principal != null ? principal : to;
        }
        String resolved = graph.resolvePrincipal(from);
        if (resolved == null) {
            throw new NoSuchElementException("No principal or key " + from + " in the graph; search with /api/principals?q=NAME.");
        }
        GraphService.CredentialNote note = graph.describeCredential(from);
        RevokePlan.Plan plan = graph.revokePlan(resolved, to, depth, note == null ? null : note.keyId());
        ctx.json(note == null ? plan : note.attachTo(plan));
    }

    private void can(Context ctx) {
        String principal = requiredParam(ctx, "principal", "the caller's ARN or name");
        String action = requiredParam(ctx, "action", "an action such as s3:GetObject");
        int colon = action.indexOf(':');
        if (!GcpNames.isPermission(action) && (colon <= 0 || colon == action.length() - 1)) {
            throw new BadInputException("Query parameter action=" + action + " is not of the form service:Action,"
                    + " such as s3:GetObject or sts:AssumeRole, nor a GCP permission such as storage.objects.get.");
        }
        String resource = requiredParam(ctx, "resource", "a resource ARN, or *");
        Map<String, List<String>> context = new LinkedHashMap<>();
        for (String pair : ctx.queryParams("context")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new BadInputException("Query parameter context=" + pair + " is not KEY=VALUE, for example context=aws:MultiFactorAuthPresent=true.");
            }
            context.computeIfAbsent(pair.substring(0, equals), k -> new ArrayList<>()).add(pair.substring(equals + 1));
        }
        ctx.json(withCredential(principal, graph.can(principal, action, resource, context)));
    }

    /** Returns the answer with a leading {@code credential} field when the question named an AWS access key id. */
    private Object withCredential(String reference, Object answer) {
        GraphService.CredentialNote note = graph.describeCredential(reference);
        return note == null ? answer : note.attachTo(answer);
    }

    private static String requiredParam(Context ctx, String name, String what) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            throw new BadInputException("Missing query parameter " + name + ": give " + what + ".");
        }
        return value.strip();
    }

    private static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < min || parsed > max) {
                throw new BadInputException("Query parameter " + name + "=" + parsed + " is outside the allowed range "
                        + min + ".." + max + ".");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new BadInputException("Query parameter " + name + "=\"" + value + "\" is not a whole number.");
        }
    }

    static String requestId(Context ctx) {
        Object id = ctx.attribute("requestId");
        return id == null ? null : id.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
