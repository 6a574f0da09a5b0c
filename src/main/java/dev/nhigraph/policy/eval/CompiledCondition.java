package dev.nhigraph.policy.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * A Condition block compiled by {@link ConditionEvaluator#compile}: one test per condition key under each
 * operator, with every policy value already parsed. Immutable and thread-safe.
 *
 * <p>All tests must hold, as the AWS IAM User Guide page "Conditions with multiple context keys or values" states
 * for several operators in a block and several keys under one operator. The tests combine with Kleene logic,
 * so one FALSE test makes the block FALSE even when others are UNKNOWN.
 */
public final class CompiledCondition {

    private final KeyTest[] tests;

    CompiledCondition(List<KeyTest> tests) {
        this.tests = tests.toArray(new KeyTest[0]);
    }

    /** Evaluates the block against {@code context}; UNKNOWN results list the conditions left undecided. */
    public ConditionResult evaluate(ConditionContext context) {
        List<UnresolvedCondition> unresolved = null;
        for (KeyTest test : tests) {
            Tri value = test.evaluate(context);
            if (value == Tri.FALSE) {
                return ConditionResult.FALSE;
            }
            if (value == Tri.UNKNOWN) {
                if (unresolved == null) {
                    unresolved = new ArrayList<>(2);
                }
                unresolved.add(test.description());
            }
        }
        return unresolved == null ? ConditionResult.TRUE : new ConditionResult(Tri.UNKNOWN, unresolved);
    }

    /** Returns the value that {@link #evaluate} returns, without allocating. */
    Tri value(ConditionContext context) {
        Tri value = Tri.TRUE;
        for (KeyTest test : tests) {
            Tri result = test.evaluate(context);
            if (result == Tri.FALSE) {
                return Tri.FALSE;
            }
            if (result == Tri.UNKNOWN) {
                value = Tri.UNKNOWN;
            }
        }
        return value;
    }

    /**
     * Adds the conditions of a block whose {@link #value} is UNKNOWN to {@code unresolved}, in block order, as
     * {@link #evaluate} lists them. Runs the tests again, so that a decision pays for the list only when it needs it.
     */
    void addUnresolved(ConditionContext context, List<UnresolvedCondition> unresolved) {
        for (KeyTest test : tests) {
            if (test.evaluate(context) == Tri.UNKNOWN) {
                unresolved.add(test.description());
            }
        }
    }

    /** The test of one condition key under one operator. */
    interface KeyTest {

        Tri evaluate(ConditionContext context);

        /** The condition as written, reported when the test is UNKNOWN. */
        UnresolvedCondition description();
    }
}
