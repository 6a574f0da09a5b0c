package dev.nhigraph.api;

/** A rejected request: the HTTP status and a message that is safe to show the client and says what to do. */
final class ApiException extends RuntimeException {

    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
