package dev.nhigraph.policy.eval;

import java.util.List;

/**
 * The values of condition keys for one request, as far as they are known offline.
 *
 * <p>Three answers are possible for a key, and the difference matters: a list of values (the key is present),
 * an empty list (the request is known not to carry the key, so {@code Null: true} holds and {@code ...IfExists}
 * operators pass), or null (the value depends on the request, such as {@code aws:SourceIp}, so a condition on it
 * is unresolved and the decision is CONDITIONAL).
 */
@FunctionalInterface
public interface ConditionContext {

    /** A context that knows nothing: every key is unresolved. */
    ConditionContext UNKNOWN = key -> null;

    /**
     * Returns the values of {@code key}, an empty list when the key is known to be absent, or null when its
     * value is not known. Condition key names are case-insensitive; implementations compare them ignoring case.
     */
    List<String> values(String key);
}
