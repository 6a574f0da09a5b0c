package dev.nhigraph.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nhigraph.analysis.AwsProjection.ResourceAccess;
import dev.nhigraph.analysis.AwsProjection.Step;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.policy.Evidence;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.neo4j.driver.Values;

/**
 * The revoke plan for a principal whose credential leaked. It lists the fewest CAN_ASSUME, CAN_ESCALATE,
 * CAN_IMPERSONATE and CAN_ACCESS steps whose removal cuts every path from the principal to an administrator, or to
 * a given principal or resource. It also lists the keys of the principals on those paths.
 *
 * <p>The cut is computed by {@link StepCut} over the part of the step graph that a bounded search from the principal
 * reaches. When a bound stopped that search, the cut is minimal for the paths searched only, and the plan states
 * whether a longer path survives it. A principal that is itself an administrator has no step to cut: its own
 * statements or bindings that make it one are listed first instead, and the cut covers the paths to the others.
 *
 * <p>An administrator's power over every principal of its account (an ADMINISTERS step) is never cut, because
 * no single statement grants it. The cut then falls on the steps into that administrator.
 */
public final class RevokePlan {

    public static final int DEFAULT_MAX_DEPTH = PathSearch.DEFAULT_MAX_DEPTH;
    public static final int MAX_DEPTH_LIMIT = PathSearch.MAX_DEPTH_LIMIT;
    public static final int MAX_PRINCIPALS = BlastRadius.MAX_PRINCIPALS;
    public static final long TIME_BUDGET_MILLIS = 10_000;

    /** The step kinds that a change of one policy statement or binding removes. */
    static final Set<String> CUTTABLE = Set.of("CAN_ASSUME", "CAN_ESCALATE", "CAN_IMPERSONATE", "CAN_ACCESS");
    /** The kind of the item that stands for the root's own administrator rights. */
    public static final String OWN_ADMIN_RIGHTS = "OWN_ADMIN_RIGHTS";

    /**
     * The plan. {@code reachesTarget} is true when the search found a path to a target before the cut.
     * {@code cut} lists what to change, the root's own administrator rights first when it has any.
     * {@code cuttable} is false when a path consists of steps that no statement change removes, and then
     * {@code note} states what to do instead. {@code principalsOnPaths} counts the principals on a path to a target,
     * whose keys {@code keys} lists.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Plan(String from, String to, boolean reachesTarget, int targetsReached, boolean cuttable,
                       List<Item> cut, int principalsOnPaths, List<Key> keys, Check check, Bounds bounded, String note) {
    }

    /** One step to remove, what change removes it, and the statements or bindings behind it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(String from, String to, String kind, String technique, boolean conditional, String change,
                       List<Evidence> evidence) {
    }

    /**
     * A key of a principal on a path. {@code leaked} marks the key that the question named.
     *
     * @param kind   AwsAccessKey or GcpServiceAccountKey
     * @param status Active or Inactive for AWS, Enabled or Disabled for GCP
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Key(String principal, String keyId, String kind, String status, String createdAt, String lastUsedAt,
                      boolean leaked) {
    }

    /**
     * The checks of the cut: {@code cutVerified} is true when, without the cut steps, the searched steps lead to no
     * target. {@code wholeGraphChecked} is true when the same search over the whole graph, without the depth and
     * principal bounds, finished within the time budget; {@code remainingTarget} is a target it still reached then,
     * over a path longer than the bounds, or null when none.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Check(boolean cutVerified, boolean wholeGraphChecked, String remainingTarget) {
    }

    /** The bounds of the search and whether one of them stopped it; when one did, the cut covers the paths searched. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Bounds(int maxDepth, int maxPrincipals, long timeBudgetMillis, int principalsSearched, int stepsSearched,
                         int depthReached, boolean truncated, String reason) {
    }

    private final AwsProjection projection;
    private final AdminReachability admins;
    private final PathAnswers answers;
    private final GraphStore store;

    public RevokePlan(AdminReachability admins, GraphStore store) {
        this.projection = admins.projection();
        this.admins = admins;
        this.answers = new PathAnswers(projection, admins);
        this.store = store;
    }

    /**
     * Computes the plan for {@code fromId}.
     *
     * @param to          {@link PathAnswers#ADMIN}, a principal id or a resource ARN
     * @param leakedKeyId the key id that the question named, marked in the key list, or null
     * @throws NoSuchElementException   when the principal or the target is not in the graph
     * @throws IllegalArgumentException when the depth is outside 0..{@value #MAX_DEPTH_LIMIT} or from and to are one
     */
    public Plan compute(String fromId, String to, int maxDepth, String leakedKeyId) {
        if (maxDepth < 0 || maxDepth > MAX_DEPTH_LIMIT) {
            throw new IllegalArgumentException("depth " + maxDepth + " is outside the allowed range 0.." + MAX_DEPTH_LIMIT);
        }
        if (projection.principal(fromId) == null) {
            throw new NoSuchElementException("No principal " + fromId + " in the graph; give its ARN, unique id, name or key id.");
        }
        if (fromId.equals(to)) {
            throw new IllegalArgumentException("from and to are the same principal, " + fromId + "; give another target or admin.");
        }

        List<Item> items = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        List<Step> implied = new ArrayList<>();
        if (PathAnswers.ADMIN.equals(to)) {
            targets.addAll(admins.admins());
            if (targets.remove(fromId)) {
                items.add(ownAdminRights(fromId));
            }
        } else {
            PathAnswers.Target target = answers.target(to);
            targets.add(to);
            implied.addAll(target.implied());
            if (target.access() != null) {
                for (ResourceAccess access : target.access().values()) {
                    implied.add(Step.implied(access.principal(), access.resource(), "CAN_ACCESS", access.conditional(),
                            access.evidence()));
                }
            }
        }

        long deadline = System.nanoTime() + TIME_BUDGET_MILLIS * 1_000_000;
        StepCut.Result result = new StepCut(projection.stepGraph(), implied, CUTTABLE)
                .compute(fromId, targets, maxDepth, MAX_PRINCIPALS, deadline, TIME_BUDGET_MILLIS);
        // NOTE: items are steps, so one statement that allows steps to many roles is listed under each of them.
        result.cut().stream().map(RevokePlan::item).forEach(items::add);

        Set<String> onPaths = new LinkedHashSet<>();
        onPaths.add(fromId);
        onPaths.addAll(result.onPaths());
        onPaths.removeIf(id -> projection.principal(id) == null);
        Bounds bounds = new Bounds(maxDepth, MAX_PRINCIPALS, TIME_BUDGET_MILLIS, result.principalsSearched(),
                result.stepsSearched(), result.depthReached(), result.stopReason() != null, result.stopReason());
        Check check = new Check(result.cutVerified(), result.wholeGraphChecked(), result.remainingTarget());
        return new Plan(fromId, to, !result.targetsReached().isEmpty() || !items.isEmpty(), result.targetsReached().size(),
                result.cuttable(), List.copyOf(items), onPaths.size(), keys(onPaths, leakedKeyId), check, bounds,
                note(fromId, result, items));
    }

    /** Returns the item for a root that is an administrator itself, with the statements or bindings that make it one. */
    private Item ownAdminRights(String fromId) {
        PathAnswers.Administrator admin = answers.administrator(fromId);
        if (admin == null) {
            admin = answers.awsAdministrator(fromId);
        }
        List<Evidence> evidence = admin == null ? List.of() : admin.evidence();
        String techniques = admin == null || admin.techniques().isEmpty() ? "" : " (" + String.join(", ", admin.techniques()) + ")";
        return new Item(fromId, fromId, OWN_ADMIN_RIGHTS, null, Boolean.TRUE.equals(admins.adminConditional(fromId)),
                "It is an administrator itself" + techniques + ": remove or narrow the statements or bindings below"
                        + " that make it one, before anything else.", evidence);
    }

    private static Item item(Step step) {
        String change = switch (step.kind()) {
            case "CAN_ASSUME" -> "Remove " + step.source() + " from the trust policy of " + step.target()
                    + " (the trust statement below). Where the trust policy admits the caller only through its account,"
                    + " removing sts:AssumeRole on the role from the caller's identity statement below also ends the step.";
            case "CAN_ESCALATE" -> "Remove the permissions of technique " + step.technique() + " from the statements"
                    + " below, or deny them to " + step.source() + ".";
            case "CAN_IMPERSONATE" -> "Remove the IAM binding below that lets " + step.source() + " impersonate or act as "
                    + step.target() + ".";
            case "CAN_ACCESS" -> "Change the policy statement below that grants " + step.source() + " access to "
                    + step.target() + ".";
            default -> "Remove the " + step.kind() + " step from " + step.source() + " to " + step.target() + ".";
        };
        return new Item(step.source(), step.target(), step.kind(), step.technique(), step.conditional(), change,
                step.evidence());
    }

    private static String note(String fromId, StepCut.Result result, List<Item> items) {
        if (!result.cuttable()) {
            return "Every path includes a step that no single statement grants, such as an administrator's power over"
                    + " the principals of its account. Revoke the keys below, and remove the administrator rights of the"
                    + " principals on the paths.";
        }
        if (result.targetsReached().isEmpty() && items.isEmpty()) {
            return result.remainingTarget() == null
                    ? fromId + " reaches no target within the bounds, so there is nothing to cut beyond its own keys."
                    : fromId + " reaches no target within the bounds, but a longer path reaches " + result.remainingTarget()
                            + ". Search deeper (up to depth " + MAX_DEPTH_LIMIT + ") to cut it.";
        }
        if (result.stopReason() != null) {
            return "A bound stopped the search (" + result.stopReason() + "), so the cut covers the paths searched only."
                    + (result.remainingTarget() != null ? " A longer path to " + result.remainingTarget() + " survives it." : "");
        }
        return null;
    }

    /**
     * Returns the AWS access keys and GCP user-managed keys of the principals, the leaked key first. GCP keys that
     * Google manages are left out, because no one can revoke them.
     */
    private List<Key> keys(Set<String> principals, String leakedKeyId) {
        List<Key> keys = store.read(tx -> tx.run("""
                        MATCH (p:Principal)-[:HAS_KEY]->(k)
                        WHERE p.id IN $ids AND (k:AwsAccessKey OR (k:GcpServiceAccountKey AND k.keyType = 'USER_MANAGED'))
                        RETURN p.id AS principal, k.id AS id, CASE WHEN k:AwsAccessKey THEN 'AwsAccessKey' ELSE 'GcpServiceAccountKey' END AS kind,
                               CASE WHEN k:AwsAccessKey THEN k.status
                                    WHEN coalesce(k.disabled, false) THEN 'Disabled' ELSE 'Enabled' END AS status,
                               coalesce(k.createdAt, k.validAfter) AS createdAt, k.lastUsedAt AS lastUsedAt
                        ORDER BY p.id, k.id""", Values.parameters("ids", List.copyOf(principals)))
                .list(r -> new Key(r.get("principal").asString(), r.get("id").asString(), r.get("kind").asString(),
                        r.get("status").asString(null), r.get("createdAt").asString(null), r.get("lastUsedAt").asString(null),
                        r.get("id").asString().equals(leakedKeyId))));
        List<Key> ordered = new ArrayList<>(keys);
        ordered.sort((a, b) -> Boolean.compare(b.leaked(), a.leaked()));
        return List.copyOf(ordered);
    }
}
