package dev.nhigraph.query;

import dev.nhigraph.BadInputException;

/**
 * An analyst's query that {@link CypherGuard} or Neo4j refused to run, with the rule it broke.
 *
 * <p>It is bad input, so the command line exits with 2 and the API answers 400 with the message.
 */
public final class RejectedQueryException extends BadInputException {

    private final String rule;

    public RejectedQueryException(String rule, String message) {
        super(message);
        this.rule = rule;
    }

    /** The broken rule as a short word, such as "write", "procedure", "administration" or "timeout". */
    public String rule() {
        return rule;
    }
}
