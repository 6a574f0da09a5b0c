package dev.nhigraph.policy.eval;

import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A policy compiled for evaluation, with its statements indexed by action on first use, so that repeated
 * decisions for the same action only look at the statements that can apply.
 *
 * <p>Thread-safe: see {@link ActionIndex}.
 */
public final class CompiledPolicy {

    private static final CompiledStatement[] NONE = new CompiledStatement[0];

    private final Policy policy;
    private final List<CompiledStatement> statements;
    private final ActionIndex byAction = new ActionIndex();

    private CompiledPolicy(Policy policy, List<CompiledStatement> statements) {
        this.policy = policy;
        this.statements = statements;
    }

    /**
     * Compiles {@code policy}; {@code via} names the group it reaches the principal through, or is null.
     *
     * @throws IllegalArgumentException when a Condition block is malformed
     */
    public static CompiledPolicy compile(Policy policy, String via) {
        List<CompiledStatement> statements = new ArrayList<>();
        for (Statement statement : policy.statements()) {
            statements.add(new CompiledStatement(policy, statement, via));
        }
        return new CompiledPolicy(policy, List.copyOf(statements));
    }

    public static CompiledPolicy compile(Policy policy) {
        return compile(policy, null);
    }

    public Policy policy() {
        return policy;
    }

    /** Returns the statements whose Action or NotAction covers {@code action}, in document order. */
    CompiledStatement[] statementsFor(String action) {
        String lower = action.toLowerCase(Locale.ROOT);
        return statementsFor(ActionIndex.id(lower), lower);
    }

    /** Returns the statements for a lower-case action whose {@link ActionIndex#id} the caller already has. */
    CompiledStatement[] statementsFor(int actionId, String lowerAction) {
        CompiledStatement[] relevant = byAction.get(actionId);
        if (relevant != null) {
            return relevant;
        }
        List<CompiledStatement> matching = new ArrayList<>();
        for (CompiledStatement statement : statements) {
            if (statement.coversAction(lowerAction)) {
                matching.add(statement);
            }
        }
        relevant = matching.isEmpty() ? NONE : matching.toArray(CompiledStatement[]::new);
        byAction.put(actionId, relevant);
        return relevant;
    }
}
