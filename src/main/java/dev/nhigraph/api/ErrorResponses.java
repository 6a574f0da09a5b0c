package dev.nhigraph.api;

import dev.nhigraph.BadInputException;
import dev.nhigraph.analysis.UnfinishedLoad;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.NoSuchElementException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure of a request into the one JSON error body, {@link ApiError}.
 *
 * <p>Messages of nhigraph's own exceptions are written for users and are sent as they are. Messages of Javalin, Jetty,
 * Neo4j and anything unexpected may name classes, queries or database internals, so the client gets a fixed sentence
 * and the log gets the cause under the request id.
 */
final class ErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);
    private static final String WRITTEN = "errorWritten";

    private ErrorResponses() {
    }

    static void register(RoutesConfig routes, ServerLimits limits) {
        routes.exception(ApiException.class, (e, ctx) -> write(ctx, e.status(), e.getMessage()));
        routes.exception(BadInputException.class, (e, ctx) -> write(ctx, 400, e.getMessage()));
        routes.exception(IllegalArgumentException.class, (e, ctx) -> {
            if (thrownByNhigraph(e)) {
                write(ctx, 400, e.getMessage());
                return;
            }
            // A library's message, such as the JDK's URL decoder on a bad %-escape, names its classes.
            log.warn("Request {} {} rejected [{}]: {}", ctx.method(), ctx.path(), ApiServer.requestId(ctx), e.toString());
            write(ctx, 400, "The request has an invalid value, such as a bad %-escape in the query string;"
                    + " the server log has the cause under this request id.");
        });
        routes.exception(NoSuchElementException.class, (e, ctx) -> write(ctx, 404, e.getMessage()));
        routes.exception(UnfinishedLoad.Unfinished.class, (e, ctx) -> {
            log.warn("Request {} {} rejected [{}]: {}", ctx.method(), ctx.path(), ApiServer.requestId(ctx), e.getMessage());
            write(ctx, 503, e.getMessage());
        });
        routes.exception(Neo4jException.class, (e, ctx) -> {
            log.error("Request {} {} failed in Neo4j [{}]", ctx.method(), ctx.path(), ApiServer.requestId(ctx), e);
            write(ctx, 503, "The graph database failed to answer; the server log has the cause under this request id.");
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            log.debug("Request {} {} rejected by Javalin with {} [{}]: {}", ctx.method(), ctx.path(), e.getStatus(),
                    ApiServer.requestId(ctx), e.getMessage());
            write(ctx, e.getStatus(), javalinSentence(ctx, e.getStatus(), limits));
        });
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("Request {} {} failed [{}]", ctx.method(), ctx.path(), ApiServer.requestId(ctx), e);
            write(ctx, 500, "Internal error; the server log has the cause under this request id.");
        });

        // These run after every response with the status, including those an exception handler already wrote.
        routes.error(404, ctx -> writeUnlessWritten(ctx, 404, "No endpoint or file " + ctx.method() + " " + ctx.path()
                + "; the API has /api/health, /api/principals, /api/blast-radius, /api/paths and /api/can, and the page is at /."));
        routes.error(405, ctx -> writeUnlessWritten(ctx, 405, javalinSentence(ctx, 405, limits)));
    }

    private static String javalinSentence(Context ctx, int status, ServerLimits limits) {
        return switch (status) {
            case 405 -> "Method " + ctx.method() + " is not allowed on " + ctx.path() + ". The read routes take GET.";
            case 413 -> "The request body is larger than the limit of " + limits.maxBodyBytes()
                    + " bytes. Send a smaller body.";
            case 404 -> "No endpoint or file " + ctx.method() + " " + ctx.path() + ".";
            default -> "The request was rejected with HTTP " + status + "; the server log has the cause under this request id.";
        };
    }

    /** Returns whether nhigraph's own code threw {@code e}, whose messages are written for users. */
    private static boolean thrownByNhigraph(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("dev.nhigraph.");
    }

    private static void writeUnlessWritten(Context ctx, int status, String message) {
        if (ctx.attribute(WRITTEN) == null) {
            write(ctx, status, message);
        }
    }

    static void write(Context ctx, int status, String message) {
        ctx.attribute(WRITTEN, true);
        ctx.status(status).json(new ApiError(status, message, ApiServer.requestId(ctx)));
    }
}
