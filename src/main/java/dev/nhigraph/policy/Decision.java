package dev.nhigraph.policy;

import java.util.List;

/**
 * The answer to "may this principal perform this action on this resource", with the statements that decided it.
 *
 * <p>CONDITIONAL means an Allow or a Deny depends on a Condition whose value is only known at request time;
 * the deciding statements then carry that condition.
 */
public record Decision(Outcome outcome, List<Evidence> evidence) {

    public enum Outcome { ALLOWED, CONDITIONAL, DENIED_EXPLICIT, DENIED_IMPLICIT }

    public boolean allowedOrConditional() {
        return outcome == Outcome.ALLOWED || outcome == Outcome.CONDITIONAL;
    }
}
