package dev.nhigraph.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's error pages as the API's JSON error body: the errors Jetty sends before Javalin sees the request, such as
 * headers or a request line over Jetty's size limit (431, 414) or a request that is not valid HTTP (400).
 *
 * <p>Jetty's own pages are HTML and may name the cause; this one sends a fixed sentence per status and logs the cause
 * under the request id.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        String requestId = ApiServer.newRequestId();
        // A malformed request is the client's mistake, so one line; the stack trace is there at DEBUG.
        log.warn("Request rejected by Jetty with {} [{}]: {}", code, requestId, message);
        log.debug("Cause of the Jetty error [{}]", requestId, cause);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(body(code, requestId)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String requestId = ApiServer.newRequestId();
        log.warn("Malformed request rejected by Jetty with {} [{}]: {}", status, requestId, reason);
        fields.put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(body(status, requestId));
    }

    private static byte[] body(int status, String requestId) {
        try {
            return JSON.writeValueAsBytes(new ApiError(status, sentence(status), requestId));
        } catch (JsonProcessingException e) {
            // ApiError is a record of an int and two strings, which Jackson always serialises.
            return ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
    }

    static String sentence(int status) {
        return switch (status) {
            case 400 -> "The request is not valid HTTP. Check the request line, the headers and the URL encoding.";
            case 414 -> "The request URI is longer than the server accepts. Shorten the query string.";
            case 431 -> "The request headers are larger than the server accepts. Send fewer or shorter headers and a"
                    + " shorter query string.";
            case 413 -> "The request is larger than the server accepts. Send a smaller body.";
            default -> "The server could not handle the request (HTTP " + status + "); the server log has the cause"
                    + " under this request id.";
        };
    }
}
