package dev.nhigraph.findings;

import dev.nhigraph.analysis.AdminReachability;
import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.PathSearch;
import dev.nhigraph.policy.Evidence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code escalation-to-admin} check: principals that are not administrators but can become one through
 * CAN_ASSUME, CAN_ESCALATE or CAN_IMPERSONATE steps, each with the shortest path that the admin reachability search
 * returns (an unconditional one where there is one) and the statements behind each step.
 */
final class EscalationFindings {

    private static final Set<String> ACTORS = Set.of("AwsUser", "AwsRole", "GcpServiceAccount");
    /** Statements listed per step; the path search keeps them all. */
    private static final int MAX_EVIDENCE_PER_STEP = 3;

    private EscalationFindings() {
    }

    static List<Finding> find(Rule rule, GraphService graph, long deadlineMillis) {
        AdminReachability admins = graph.adminReachability();
        List<Finding> findings = new ArrayList<>();
        for (PrincipalNode principal : admins.projection().principals().values()) {
            if (System.currentTimeMillis() > deadlineMillis) {
                throw new TimeLimitReached(findings);
            }
            if (principal.external() || !isActor(principal) || admins.admins().contains(principal.id())) {
                continue;
            }
            PathSearch.Path path = admins.witness(principal.id());
            if (path == null || path.steps().isEmpty()) {
                continue;
            }
            Finding.PartHeld part = part(path);
            String detail = "can become the administrator " + path.to() + " in " + path.length()
                    + (path.length() == 1 ? " step" : " steps") + (path.conditional() ? ", under a condition" : "");
            findings.add(Finding.of(rule, principal.id(), principal.kind(), path.to(), detail, path.conditional(),
                    List.of(part), null));
        }
        return findings;
    }

    /** Tells whether the principal is a workload identity that acts: a user, role, service account or GKE workload. */
    private static boolean isActor(PrincipalNode principal) {
        return ACTORS.contains(principal.kind()) || "GcpMember".equals(principal.kind())
                && "kubernetesServiceAccount".equals(principal.properties().get("memberType"));
    }

    /**
     * The {@code active-key-reaches-admin} check: AWS users with an active access key that are administrators, or
     * can become one, with the shortest path as {@link #find} gives it.
     *
     * @param activeKeys the ids of the active keys of each user, by user id
     */
    static List<Finding> findKeyUsers(Rule rule, GraphService graph, Map<String, List<String>> activeKeys,
                                      long deadlineMillis) {
        AdminReachability admins = graph.adminReachability();
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : activeKeys.entrySet()) {
            if (System.currentTimeMillis() > deadlineMillis) {
                throw new TimeLimitReached(findings);
            }
            String user = entry.getKey();
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("activeKeys", entry.getValue());
            String keys = "active key " + String.join(", ", entry.getValue());
            if (admins.admins().contains(user)) {
                boolean conditional = Boolean.TRUE.equals(admins.adminConditional(user));
                findings.add(Finding.of(rule, user, "AwsUser", null, "is an administrator" + (conditional
                        ? " under a condition" : "") + ", and has " + keys, conditional, null, facts));
                continue;
            }
            PathSearch.Path path = admins.witness(user);
            if (path == null || path.steps().isEmpty()) {
                continue;
            }
            Finding.PartHeld part = part(path);
            String detail = "has " + keys + ", and can become the administrator " + path.to() + " in " + path.length()
                    + (path.length() == 1 ? " step" : " steps") + (path.conditional() ? ", under a condition" : "");
            findings.add(Finding.of(rule, user, "AwsUser", path.to(), detail, path.conditional(), List.of(part), facts));
        }
        return findings;
    }

    /** Returns the path as the finding's one part, with up to {@link #MAX_EVIDENCE_PER_STEP} statements per step. */
    private static Finding.PartHeld part(PathSearch.Path path) {
        List<Finding.PathStep> steps = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        for (PathSearch.Hop hop : path.steps()) {
            steps.add(new Finding.PathStep(hop.from(), hop.to(), hop.kind(), hop.technique(), hop.conditional()));
            if (hop.evidence() != null) {
                hop.evidence().stream().limit(MAX_EVIDENCE_PER_STEP).forEach(evidence::add);
            }
        }
        return new Finding.PartHeld("become an administrator", path.to(), steps, List.of(), path.conditional(), evidence);
    }

    /** Thrown when the time limit passes, with the findings found so far. */
    static final class TimeLimitReached extends RuntimeException {
        final transient List<Finding> found;

        TimeLimitReached(List<Finding> found) {
            super(null, null, false, false);
            this.found = found;
        }
    }
}
