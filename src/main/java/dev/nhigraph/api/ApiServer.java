package dev.nhigraph.api;

import dev.nhigraph.BadInputException;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.analysis.BlastRadius;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.PathAnswers;
import dev.nhigraph.analysis.PathSearch;
import dev.nhigraph.analysis.UnfinishedLoad;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.neo4j.driver.exceptions.Neo4jException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: the JSON API and the browser view in {@code web/}, on one port.
 *
 * <p>Routes (all read-only and without authentication, so bind to 127.0.0.1 or put an authenticating proxy in front):
 * <pre>
 *   GET /api/health                      status, Neo4j URI, latest snapshot
 *   GET /api/principals?q=TEXT&amp;limit=N   principals whose ARN or name contains TEXT
 *   GET /api/blast-radius?id=ID&amp;depth=N  principals ID can become and what they can do
 *   GET /api/paths?from=ID&amp;to=admin|ID|ARN&amp;depth=N&amp;paths=K   paths, each step with its evidence
 *   GET /api/paths?to=admin|ID|ARN&amp;depth=N&amp;limit=K          who can reach the target, nearest first
 *   GET /api/can?principal=P&amp;action=A&amp;resource=R[&amp;context=K=V...]   one access decision with its statements
 *   POST /api/cypher, GET /api/queries, POST /api/queries/{name}   analyst Cypher, see {@link CypherRoutes}
 *   GET /api/openapi.json                the OpenAPI 3 description of these routes
 *   GET /                                the browser view; /webjars/... for Cytoscape.js
 * </pre>
 * Errors use one shape, {@link ApiError}; a 500 carries a fixed sentence and the cause goes to the log under the
 * request id.
 */
public final class ApiServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 8080;
    static final int MAX_SEARCH_LIMIT = 200;
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final GraphService graph;
    private Javalin app;

    public ApiServer(GraphService graph) {
        this.graph = graph;
    }

    /**
     * Starts listening on {@code host}:{@code port}; port 0 picks a free one, which {@link #port()} then returns.
     *
     * @throws BadInputException when the port is taken
     */
    public ApiServer start(String host, int port) {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();

            config.routes.before("/api/*", ctx -> ctx.attribute("requestId", UUID.randomUUID().toString().substring(0, 8)));
            config.routes.get("/api/health", this::health);
            config.routes.get("/api/principals", this::principals);
            config.routes.get("/api/blast-radius", this::blastRadius);
            config.routes.get("/api/can", this::can);
            config.routes.get("/api/paths", this::paths);
            new CypherRoutes(graph.store()).addTo(config.routes);
            new ApiDescription().addTo(config.routes);

            config.routes.exception(BadInputException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            config.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            config.routes.exception(NoSuchElementException.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
            config.routes.exception(UnfinishedLoad.Unfinished.class, (e, ctx) -> {
                log.warn("Request {} {} rejected [{}]: {}", ctx.method(), ctx.path(), requestId(ctx), e.getMessage());
                error(ctx, 503, e.getMessage());
            });
            config.routes.exception(Neo4jException.class, (e, ctx) -> {
                log.error("Request {} {} failed in Neo4j [{}]", ctx.method(), ctx.path(), requestId(ctx), e);
                error(ctx, 503, "The graph database failed to answer; the server log has the cause under this request id.");
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("Request {} {} failed [{}]", ctx.method(), ctx.path(), requestId(ctx), e);
                error(ctx, 500, "Internal error; the server log has the cause under this request id.");
            });
            config.routes.error(404, ctx -> {
                // Runs after every 404, including those an exception handler already wrote.
                if (ctx.path().startsWith("/api/") && ctx.attribute("errorWritten") == null) {
                    error(ctx, 404, "No endpoint " + ctx.method() + " " + ctx.path()
                            + "; /api/openapi.json lists the endpoints of the API.");
                }
            });
        });
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            throw new BadInputException("Failed to start the HTTP server on " + host + ":" + port + " (" + rootMessage(e)
                    + "). Choose another port with --port.", e);
        }
        log.info("Serving the API and the browser view on http://{}:{}/", host, app.port());
        return this;
    }

    public int port() {
        return app.port();
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

    private void health(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("neo4j", graph.neo4jUri());
        body.put("snapshot", graph.latestSnapshot());
        ctx.json(body);
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
        ctx.json(graph.blastRadius(resolved, depth));
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
        ctx.json(graph.pathAnswers().paths(resolved, to, depth, maxPaths));
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
        ctx.json(graph.can(principal, action, resource, context));
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

    private static void error(Context ctx, int status, String message) {
        ctx.attribute("errorWritten", true);
        ctx.status(status).json(new ApiError(status, message, requestId(ctx)));
    }

    private static String requestId(Context ctx) {
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
