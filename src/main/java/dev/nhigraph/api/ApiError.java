package dev.nhigraph.api;

/**
 * The one error shape of the API.
 *
 * @param status    the HTTP status code
 * @param message   what failed and what to do, safe to show to the user
 * @param requestId the id under which the server logged the request, for 500s in particular
 */
public record ApiError(int status, String message, String requestId) {
}
