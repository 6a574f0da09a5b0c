package dev.nhigraph.policy.eval;

import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * A policy compiled for evaluation, with its statements indexed by action on first use, so that repeated
 * decisions for the same action only look at the statements that can apply.
 *
 * <p>The statements are split into groups of {@value ActionIndex#STATEMENTS} in document order, each with its
 * own {@link ActionIndex}. A statement is found by its group and its bit in that group's mask.
 *
 * <p>Thread-safe: see {@link ActionIndex}.
 */
public final class CompiledPolicy {

    private final Policy policy;
    /** All statements in document order; statement {@code i} is bit {@code i % 32} of group {@code i / 32}. */
    private final CompiledStatement[] statements;
    private final ActionIndex[] groups;
    /** For each group, the bits of its Deny statements. */
    private final int[] denyMasks;
    /*
     * The group count, the first group and its Deny bits, in fields because every decision reads them for every
     * policy. A policy of up to 32 statements has no other group.
     */
    private final int groupCount;
    private final ActionIndex firstGroup;
    private final int firstDenyMask;

    private CompiledPolicy(Policy policy, CompiledStatement[] statements) {
        this.policy = policy;
        this.statements = statements;
        this.groupCount = Math.max(1, (statements.length + ActionIndex.STATEMENTS - 1) / ActionIndex.STATEMENTS);
        this.groups = new ActionIndex[groupCount];
        this.denyMasks = new int[groupCount];
        for (int group = 0; group < groupCount; group++) {
            int from = Math.min(statements.length, group * ActionIndex.STATEMENTS);
            int to = Math.min(statements.length, from + ActionIndex.STATEMENTS);
            CompiledStatement[] members = Arrays.copyOfRange(statements, from, to);
            groups[group] = new ActionIndex(members);
            for (int bit = 0; bit < members.length; bit++) {
                if (!members[bit].allow) {
                    denyMasks[group] |= 1 << bit;
                }
            }
        }
        this.firstGroup = groups[0];
        this.firstDenyMask = denyMasks[0];
    }

    /**
     * Compiles {@code policy}; {@code via} names the group it reaches the principal through, or is null.
     *
     * @throws IllegalArgumentException when a Condition block is malformed
     */
    public static CompiledPolicy compile(Policy policy, String via) {
        List<Statement> statements = policy.statements();
        CompiledStatement[] compiled = new CompiledStatement[statements.size()];
        for (int i = 0; i < compiled.length; i++) {
            compiled[i] = new CompiledStatement(policy, statements.get(i), via);
        }
        return new CompiledPolicy(policy, compiled);
    }

    public static CompiledPolicy compile(Policy policy) {
        return compile(policy, null);
    }

    public Policy policy() {
        return policy;
    }

    /** Returns the number of statement groups, one for every {@value ActionIndex#STATEMENTS} statements or fewer. */
    int groups() {
        return groupCount;
    }

    /** Returns the bits of the statements in {@code group} whose Action or NotAction covers {@code action}. */
    int actionMask(ActionIndex.ActionName action, int group) {
        return (group == 0 ? firstGroup : groups[group]).mask(action);
    }

    /** Returns the bits of the Deny statements in {@code group}; the other bits are Allow statements. */
    int denyMask(int group) {
        return group == 0 ? firstDenyMask : denyMasks[group];
    }

    /** Returns the statement that bit {@code bit} of a mask of {@code group} stands for. */
    CompiledStatement statement(int group, int bit) {
        return statements[group * ActionIndex.STATEMENTS + bit];
    }
}
