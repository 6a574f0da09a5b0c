package dev.nhigraph;

/**
 * Input that nhigraph cannot use: a malformed file, an export of the wrong kind, a bad option value.
 * The command line maps it to exit code 2, the API to HTTP 400.
 */
public class BadInputException extends NhigraphException {

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
