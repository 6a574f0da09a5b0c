package dev.nhigraph.policy.eval;

import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.Statement;
import dev.nhigraph.policy.Wildcards;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One statement prepared for fast repeated evaluation: actions split into exact names and wildcard patterns,
 * resource patterns checked for policy variables, principals and conditions compiled.
 */
final class CompiledStatement {

    final Policy policy;
    final Statement statement;
    final String via;
    final boolean allow;
    /** True when the Action or NotAction element is exactly {@code *}, as in the FullAWSAccess SCP. */
    final boolean actionIsStar;

    private final Set<String> exactActions = new HashSet<>();
    /** The lower-case Action or NotAction entries with wildcards, compiled as plain wildcard strings. */
    private final Arns.Pattern[] actionPatterns;
    private final boolean everyAction;
    private final boolean resourceVariables;
    private final Arns.Pattern[] resourcePatterns;
    private final boolean notResource;
    /**
     * The value of {@link #coversResource} when it is the same for every ARN, or null. It is TRUE for a statement
     * with neither Resource nor NotResource, which applies to the policy's own resource, and for a Resource that
     * lists {@code *}. It is FALSE for a NotResource that lists {@code *}.
     */
    private final Tri everyResource;
    private final PrincipalMatcher principals;
    private final CompiledCondition condition;
    /** The entry a decision lists when a policy variable in the Resource element has no known value. */
    private final UnresolvedCondition unresolvedResource;
    private Evidence evidence;

    CompiledStatement(Policy policy, Statement statement, String via) {
        this.policy = policy;
        this.statement = statement;
        this.via = via;
        this.allow = statement.allow();
        this.actionIsStar = statement.actions().equals(List.of("*"));
        List<Arns.Pattern> patterns = new ArrayList<>();
        boolean star = false;
        for (String action : statement.actions()) {
            String lower = action.toLowerCase(Locale.ROOT);
            if (Wildcards.hasWildcard(lower)) {
                patterns.add(Arns.Pattern.glob(lower));
                star |= lower.equals("*");
            } else {
                exactActions.add(lower);
            }
        }
        this.actionPatterns = patterns.toArray(Arns.Pattern[]::new);
        this.everyAction = star && !statement.notAction();
        this.resourceVariables = policy.policyVariables() && statement.resources().stream().anyMatch(r -> r.contains("${"));
        this.resourcePatterns = resourceVariables ? null
                : statement.resources().stream().map(Arns::compile).toArray(Arns.Pattern[]::new);
        this.notResource = statement.notResource();
        boolean ownResource = statement.resources().isEmpty() && !notResource;
        boolean starResource = !resourceVariables && statement.resources().contains("*");
        if (ownResource) {
            this.everyResource = Tri.TRUE;
        } else if (starResource) {
            this.everyResource = Tri.of(!notResource);
        } else {
            this.everyResource = null;
        }
        this.principals = statement.principals().isEmpty() && !statement.notPrincipal()
                ? null : new PrincipalMatcher(statement.principals(), statement.notPrincipal());
        this.condition = statement.conditional()
                ? ConditionEvaluator.compile(statement.condition(), policy.policyVariables()) : null;
        this.unresolvedResource = new UnresolvedCondition("Resource", "policy variable", statement.resources());
    }

    /** Tells whether the Action element lists {@code *}, so that {@link #coversAction} is true for every action. */
    boolean coversEveryAction() {
        return everyAction;
    }

    /** Tells whether the statement's Action or NotAction covers {@code actionLower}, a lower-case action name. */
    boolean coversAction(String actionLower) {
        boolean listed = exactActions.contains(actionLower);
        for (int i = 0; !listed && i < actionPatterns.length; i++) {
            listed = actionPatterns[i].matches(actionLower);
        }
        return listed != statement.notAction();
    }

    /** Matches the Resource or NotResource element; UNKNOWN when a policy variable in it has no known value. */
    Tri coversResource(String resourceArn, ConditionContext context) {
        if (everyResource != null) {
            return everyResource;
        }
        if (resourcePatterns != null) {
            boolean any = false;
            for (int i = 0; !any && i < resourcePatterns.length; i++) {
                any = resourcePatterns[i].matches(resourceArn);
            }
            return Tri.of(any != notResource);
        }
        Tri listed = Tri.FALSE;
        for (String pattern : statement.resources()) {
            // NOTE: a ${*} or ${?} variable comes back as a plain * or ?, which then acts as a wildcard
            // rather than the literal character AWS means.
            String resolved = resourceVariables ? PolicyVariables.substitute(pattern, context) : pattern;
            Tri match = resolved == null ? Tri.UNKNOWN : Tri.of(Arns.matches(resolved, resourceArn));
            listed = listed.or(match);
            if (listed == Tri.TRUE) {
                break;
            }
        }
        return statement.notResource() ? listed.not() : listed;
    }

    /** Returns how the Principal element names the caller; null for identity policies, which have none. */
    List<PrincipalMatcher.Match> principalMatches(RequestPrincipal principal) {
        return principals == null ? null : principals.match(principal);
    }

    /** Evaluates the Condition element without allocating; TRUE when there is none. */
    Tri conditionValue(ConditionContext context) {
        return condition == null ? Tri.TRUE : condition.value(context);
    }

    /** Adds the unresolved conditions of a Condition element whose {@link #conditionValue} is UNKNOWN. */
    void addUnresolvedConditions(ConditionContext context, List<UnresolvedCondition> unresolved) {
        if (condition != null) {
            condition.addUnresolved(context, unresolved);
        }
    }

    /** Returns the entry for a Resource element whose {@link #coversResource} is UNKNOWN. */
    UnresolvedCondition unresolvedResource() {
        return unresolvedResource;
    }

    /** Returns the evidence for this statement, built once. */
    Evidence evidence() {
        if (evidence == null) {
            evidence = Evidence.of(policy, via, statement, null, null);
        }
        return evidence;
    }
}
