package dev.nhigraph;

/**
 * A failure of the work itself (database unreachable, write failed) whose message is written for the user.
 * The command line maps it to exit code 1.
 */
public class NhigraphException extends RuntimeException {

    public NhigraphException(String message) {
        super(message);
    }

    public NhigraphException(String message, Throwable cause) {
        super(message, cause);
    }
}
