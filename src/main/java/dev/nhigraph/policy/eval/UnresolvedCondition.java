package dev.nhigraph.policy.eval;

import java.util.List;

/**
 * One condition that could not be decided offline, as written in the policy.
 *
 * @param operator the condition operator as written, such as {@code ForAnyValue:StringLikeIfExists}
 * @param key      the condition key as written, such as {@code aws:SourceIp}
 * @param values   the policy values for the key, as written
 */
public record UnresolvedCondition(String operator, String key, List<String> values) {

    public UnresolvedCondition {
        values = List.copyOf(values);
    }
}
