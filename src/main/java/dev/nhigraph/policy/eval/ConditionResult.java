package dev.nhigraph.policy.eval;

import java.util.List;
import java.util.Objects;

/**
 * The value of a Condition block for one request.
 *
 * @param value      TRUE or FALSE when the context decides the block, UNKNOWN when it depends on keys or policy
 *                   variables whose values are not known
 * @param unresolved for UNKNOWN, exactly the conditions that could not be decided, in block order. Empty for
 *                   TRUE and FALSE
 */
public record ConditionResult(Tri value, List<UnresolvedCondition> unresolved) {

    /** A block that holds, or a statement without a Condition element. */
    public static final ConditionResult TRUE = new ConditionResult(Tri.TRUE, List.of());

    /** A block that does not hold. */
    public static final ConditionResult FALSE = new ConditionResult(Tri.FALSE, List.of());

    /**
     * @throws IllegalArgumentException when {@code unresolved} is empty for UNKNOWN or not empty otherwise
     */
    public ConditionResult {
        Objects.requireNonNull(value, "value");
        unresolved = List.copyOf(unresolved);
        if ((value == Tri.UNKNOWN) == unresolved.isEmpty()) {
            throw new IllegalArgumentException("A " + value + " condition result must list "
                    + (value == Tri.UNKNOWN ? "at least one" : "no") + " unresolved condition, got " + unresolved);
        }
    }
}
