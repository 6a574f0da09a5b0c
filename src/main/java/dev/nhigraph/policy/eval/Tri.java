package dev.nhigraph.policy.eval;

/** A three-valued truth: a condition that depends on the request is neither true nor false offline. */
public enum Tri {
    TRUE, FALSE, UNKNOWN;

    public static Tri of(boolean value) {
        return value ? TRUE : FALSE;
    }

    /** Kleene conjunction: FALSE wins, then UNKNOWN. */
    public Tri and(Tri other) {
        if (this == FALSE || other == FALSE) {
            return FALSE;
        }
        return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : TRUE;
    }

    /** Kleene disjunction: TRUE wins, then UNKNOWN. */
    public Tri or(Tri other) {
        if (this == TRUE || other == TRUE) {
            return TRUE;
        }
        return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : FALSE;
    }

    public Tri not() {
        if (this == UNKNOWN) {
            return UNKNOWN;
        }
        return this == TRUE ? FALSE : TRUE;
    }
}
