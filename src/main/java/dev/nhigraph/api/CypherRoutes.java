package dev.nhigraph.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.BadInputException;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.audit.Audit;
import dev.nhigraph.query.CypherAnswer;
import dev.nhigraph.query.ReadOnlyCypher;
import dev.nhigraph.query.RejectedQueryException;
import dev.nhigraph.query.SavedQueries;
import dev.nhigraph.query.SavedQuery;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analysts' Cypher routes: free read-only queries and the saved queries of {@code cypher/queries}.
 *
 * <pre>
 *   POST /api/cypher          {"query": "...", "params": {...}, "maxRows": N, "timeoutSeconds": S}
 *   GET  /api/queries         the saved queries with their descriptions and parameters
 *   POST /api/queries/{name}  {"params": {...}, "maxRows": N, "timeoutSeconds": S}: runs a saved query
 * </pre>
 * Every query goes through {@link ReadOnlyCypher}, so writes, schema changes, LOAD CSV, other databases and
 * procedures outside an allow-list are rejected with 400 and the rule that was broken. The response states the row cap
 * and timeout it ran under and whether rows were left out.
 */
public final class CypherRoutes {

    /** The largest row cap and timeout a request may ask for; smaller values are allowed. */
    public static final int MAX_ROWS_LIMIT = ReadOnlyCypher.DEFAULT_MAX_ROWS;
    public static final int TIMEOUT_SECONDS_LIMIT = ReadOnlyCypher.DEFAULT_TIMEOUT_SECONDS;

    private static final Logger log = LoggerFactory.getLogger(CypherRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReadOnlyCypher cypher;
    private final SavedQueries saved;
    private final GraphService graph;

    public CypherRoutes(GraphService graph) {
        this.cypher = new ReadOnlyCypher(graph.store());
        this.saved = SavedQueries.bundled();
        this.graph = graph;
    }

    /** Registers the routes. */
    public void addTo(RoutesConfig routes) {
        routes.post("/api/cypher", this::runFree, ApiRole.READ);
        routes.get("/api/queries", this::listSaved, ApiRole.READ);
        routes.post("/api/queries/{name}", this::runSaved, ApiRole.READ);
    }

    private void runFree(Context ctx) {
        JsonNode body = body(ctx);
        JsonNode query = body.get("query");
        if (query == null || !query.isTextual() || query.asText().isBlank()) {
            throw new BadInputException("The body of POST /api/cypher has no \"query\" text; send"
                    + " {\"query\": \"MATCH (p:Principal) RETURN p.id LIMIT 10\", \"params\": {}}.");
        }
        respond(ctx, null, query.asText(), params(body.get("params"), ctx), body);
    }

    private void listSaved(Context ctx) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (SavedQuery query : saved.all()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", query.name());
            entry.put("description", query.description());
            entry.put("parameters", query.parameters());
            entry.put("limitations", query.limitations());
            entry.put("cypher", query.cypher());
            list.add(entry);
        }
        ctx.json(list);
    }

    private void runSaved(Context ctx) {
        SavedQuery query;
        try {
            query = saved.find(ctx.pathParam("name"));
        } catch (BadInputException e) {
            throw new NoSuchElementException(e.getMessage());
        }
        JsonNode body = ctx.body().isBlank() ? JSON.createObjectNode() : body(ctx);
        Map<String, Object> values = SavedQueries.parameters(query, params(body.get("params"), ctx));
        values = SavedQueries.resolvePrincipals(query, values, this::principalId);
        respond(ctx, query.name(), query.cypher(), values, body);
    }

    /** Returns the id of the principal that a saved query's parameter names, or rejects the reference with 400. */
    private String principalId(String reference) {
        return graph.requirePrincipal(reference, "Give an ARN, unique id or name, or a GCP member, email or key id;"
                + " GET /api/principals?q=TEXT lists matching ones.");
    }

    private void respond(Context ctx, String savedName, String query, Map<String, Object> values, JsonNode body) {
        int maxRows = bound(body, "maxRows", MAX_ROWS_LIMIT);
        int timeoutSeconds = bound(body, "timeoutSeconds", TIMEOUT_SECONDS_LIMIT);
        String source = savedName == null ? "Analyst query" : "Saved query " + savedName;

        // The audit log names each analyst query with who sent it, apart from the operational log.
        String who = ctx.attribute(RequestGuard.WHO);
        String audited = savedName == null ? query : "saved " + savedName + " " + values;
        String requestId = ctx.attribute("requestId");
        CypherAnswer answer;
        try {
            answer = cypher.run(query, values, maxRows, timeoutSeconds);
        } catch (RejectedQueryException e) {
            log.warn("{} rejected [{}], rule {}: {}", source, requestId, e.rule(), e.getMessage());
            Audit.cypherQuery(who, ctx.ip(), audited, "rejected:" + e.rule(), requestId);
            throw e;
        } catch (RuntimeException e) {
            Audit.cypherQuery(who, ctx.ip(), audited, "failed", requestId);
            throw e;
        }
        Audit.cypherQuery(who, ctx.ip(), audited, "ok:" + answer.rowCount() + " rows", requestId);
        log.info("{} returned {} rows{} [{}]", source, answer.rowCount(), answer.truncated() ? " (truncated)" : "",
                requestId);

        Map<String, Object> response = new LinkedHashMap<>();
        if (savedName != null) {
            response.put("query", savedName);
        }
        response.put("columns", answer.columns());
        response.put("rows", answer.rows());
        response.put("rowCount", answer.rowCount());
        response.put("truncated", answer.truncated());
        response.put("limits", Map.of("maxRows", answer.maxRows(), "timeoutSeconds", answer.timeoutSeconds()));
        response.put("graph", answer.graph());
        ctx.json(response);
    }

    private static JsonNode body(Context ctx) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw new BadInputException("The body of " + ctx.method() + " " + ctx.path() + " is not valid JSON ("
                    + e.getOriginalMessage() + "); send a JSON object.");
        }
        if (body == null || !body.isObject()) {
            throw new BadInputException("The body of " + ctx.method() + " " + ctx.path() + " is not a JSON object.");
        }
        return body;
    }

    private static Map<String, Object> params(JsonNode params, Context ctx) {
        if (params == null || params.isNull()) {
            return new LinkedHashMap<>();
        }
        if (!params.isObject()) {
            throw new BadInputException("\"params\" in the body of " + ctx.method() + " " + ctx.path()
                    + " is not a JSON object; send {\"params\": {\"name\": \"value\"}}.");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        params.fields().forEachRemaining(field -> values.put(field.getKey(), JSON.convertValue(field.getValue(), Object.class)));
        return values;
    }

    private static int bound(JsonNode body, String field, int limit) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return limit;
        }
        if (!value.isInt() || value.asInt() < 1 || value.asInt() > limit) {
            throw new BadInputException("\"" + field + "\" is " + value + "; give a whole number in the range 1.." + limit + ".");
        }
        return value.asInt();
    }
}
