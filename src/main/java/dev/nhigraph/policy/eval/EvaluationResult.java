package dev.nhigraph.policy.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nhigraph.policy.Evidence;
import java.util.List;

/**
 * The decision for one request, with the statements that decided it.
 *
 * @param decision   ALLOWED, DENIED, or CONDITIONAL when the outcome depends on condition keys known only at
 *                   request time
 * @param denial     "explicit" (a Deny statement matched) or "implicit" (no Allow where one is needed) for DENIED;
 *                   null otherwise
 * @param reason     one sentence on what decided, such as the layer that lacked an Allow
 * @param statements the deciding statements: the matching Deny statements of an explicit denial, the Allow
 *                   statements of each layer that granted, and every statement left uncertain for CONDITIONAL
 * @param conditions the unresolved conditions of a CONDITIONAL decision; empty otherwise
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EvaluationResult(Decision decision, String denial, String reason, List<Evidence> statements,
                               List<UnresolvedCondition> conditions) {

    public enum Decision { ALLOWED, DENIED, CONDITIONAL }

    public boolean allowed() {
        return decision == Decision.ALLOWED;
    }

    /** Tells whether the request is allowed at least under some value of the unresolved conditions. */
    public boolean possible() {
        return decision != Decision.DENIED;
    }
}
