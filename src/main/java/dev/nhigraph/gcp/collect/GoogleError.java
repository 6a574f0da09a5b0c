package dev.nhigraph.gcp.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import com.google.api.gax.rpc.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON error body of a failed Google REST call: {@code {"error": {"code", "message", "status", "details"}}}.
 *
 * <p>gax 2.59's HTTP/JSON transport puts only the HTTP reason phrase ("Forbidden") in the exception's message, and
 * leaves the body in the {@link HttpResponseException} it wraps. The body has the service's message and, in an
 * ErrorInfo detail, the reason that distinguishes an API that is not enabled (SERVICE_DISABLED) from a missing permission.
 *
 * @param message the service's message, or null when the body has none
 * @param reasons the {@code reason} of every ErrorInfo detail
 */
record GoogleError(String message, List<String> reasons) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GoogleError NONE = new GoogleError(null, List.of());

    static GoogleError of(ApiException failure) {
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpResponseException http && http.getContent() != null) {
                return parse(http.getContent());
            }
        }
        return NONE;
    }

    private static GoogleError parse(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            String message = error.path("message").isTextual() ? error.path("message").asText() : null;
            List<String> reasons = new ArrayList<>();
            for (JsonNode detail : error.path("details")) {
                if (detail.path("reason").isTextual()) {
                    reasons.add(detail.path("reason").asText());
                }
            }
            return new GoogleError(message, reasons);
        } catch (IOException e) {
            // A proxy or load balancer may return HTML, and then the HTTP status alone decides.
            return NONE;
        }
    }
}
