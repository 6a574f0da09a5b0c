package dev.nhigraph.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nhigraph.analysis.AwsProjection.ResourceAccess;
import dev.nhigraph.analysis.AwsProjection.Step;
import dev.nhigraph.analysis.PathSearch.Bounds;
import dev.nhigraph.analysis.PathSearch.Condition;
import dev.nhigraph.analysis.PathSearch.Hop;
import dev.nhigraph.analysis.PathSearch.Path;
import dev.nhigraph.analysis.PathSearch.Paths;
import dev.nhigraph.analysis.PathSearch.Reach;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.PolicySet;
import dev.nhigraph.policy.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The answers of {@code nhigraph paths} and {@code GET /api/paths}: the paths from one principal to
 * administrators, to another principal or to a resource, and the reverse question, who can reach a target.
 *
 * <p>A target is named "admin" (any administrator, see {@link AdminReachability}), a principal, or the
 * ARN of a resource that a CAN_ACCESS edge reaches. A path to a resource ends with the CAN_ACCESS step of the
 * principal that has the access.
 */
public final class PathAnswers {

    /** The kind of the step from an administrator to a principal of its account. */
    public static final String ADMINISTERS = "ADMINISTERS";

    /** The target name that stands for every administrator. */
    public static final String ADMIN = "admin";
    /** The maximum number of principals in the result of {@link #reaching}. */
    public static final int MAX_SOURCES_LIMIT = 1_000;
    public static final int DEFAULT_SOURCES = 100;

    /**
     * The paths from {@code from} to {@code to}. {@code reachable} is YES when a path without a conditional step
     * exists, CONDITIONAL when every path has one, and then {@code conditions} lists what they depend on.
     * {@code reachable} is decided over the whole graph, without the depth bound, so it can be YES or CONDITIONAL
     * while {@code paths} is empty because the nearest target lies beyond the depth, and then {@code bounded} states it.
     * {@code administrators} describes each administrator that a path ends at, AWS or GCP, and is null when none does.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(String from, String to, String reachable, Integer distance, List<Path> paths,
                         List<Administrator> administrators, List<Condition> conditions, Bounds bounded) {
    }

    /**
     * One principal that can reach the target, with how surely, how far and a shortest path. {@code administers}
     * lists the organizations, folders and projects that the GCP administrator at the end of the path administers,
     * and is null for other ends.
     */
    public record Source(String principal, String kind, String account, String reachable, int distance, Path witness,
                         @JsonInclude(JsonInclude.Include.NON_NULL) List<String> administers) {
    }

    /**
     * A GCP principal that administers organizations, folders or projects: it has their
     * resourcemanager.*.setIamPolicy permission through a binding, or can gain it by a technique such as updating a
     * custom role bound to it. Or an AWS user, role or group that administers its account: its own policies allow
     * every action on every resource, or it can give itself that by a technique.
     *
     * @param adminEquivalent YES, or CONDITIONAL when every grant depends on a condition
     * @param scopes          the full names of the GCP scopes, such as //cloudresourcemanager.googleapis.com/folders/123,
     *                        without the scopes below them; for AWS, "account ID"
     * @param techniques      "binding" for a direct GCP grant, "own-policies" for an AWS administrator by its own
     *                        policies, else the id of the technique, such as gcp-011 or iam-001
     * @param evidence        the bindings or statements behind the grants, each listed once
     */
    public record Administrator(String principal, String adminEquivalent, List<String> scopes, List<String> techniques,
                                List<Evidence> evidence) {
    }

    /** The principals that can reach {@code to}, nearest first, up to the limit. */
    public record Reaching(String to, int total, List<Source> sources, ReverseBounds bounded) {
    }

    /** The bounds of the reverse question and whether one of them cut the list. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReverseBounds(int maxDepth, int limit, boolean truncated, String reason) {
    }

    private final AwsProjection projection;
    private final AdminReachability admins;

    public PathAnswers(AwsProjection projection, AdminReachability admins) {
        this.projection = projection;
        this.admins = admins;
    }

    /**
     * Finds the paths from {@code fromId} to {@code to}.
     *
     * @param fromId a principal id of the projection
     * @param to     {@link #ADMIN}, a principal id or a resource ARN
     * @throws NoSuchElementException   when the principal or the target is not in the graph
     * @throws IllegalArgumentException when a bound is outside its range
     */
    public Answer paths(String fromId, String to, int maxDepth, int maxPaths) {
        PathSearch.checkBounds(maxDepth, maxPaths);
        if (projection.principal(fromId) == null) {
            throw new NoSuchElementException("No principal " + fromId + " in the graph; give its ARN, unique id or name.");
        }
        if (ADMIN.equals(to)) {
            Paths found = admins.pathsToAdmin(fromId, maxDepth, maxPaths);
            Answer answer = answer(fromId, to, admins.reach(fromId), admins.distanceToAdmin(fromId), found,
                    admins.witness(fromId), null);
            return withAdministrators(answer);
        }
        Target target = target(to);
        PathSearch search = new PathSearch(projection, target.principals(), target.implied());
        Paths found = search.paths(fromId, maxDepth, maxPaths);
        return answer(fromId, to, search.reach(fromId), search.distance(fromId), found, search.witness(fromId), target.access());
    }

    /**
     * Lists who can reach {@code to}: every principal with a path of at most {@code maxDepth} steps, nearest
     * first, each with a shortest path, up to {@code limit} of them.
     */
    public Reaching reaching(String to, int maxDepth, int limit) {
        if (limit < 1 || limit > MAX_SOURCES_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " is outside the allowed range 1.." + MAX_SOURCES_LIMIT);
        }
        PathSearch.checkBounds(maxDepth, 1);
        List<Source> sources = new ArrayList<>();
        int total = 0;
        boolean beyondDepth = false;
        if (ADMIN.equals(to)) {
            List<String> reaching = new ArrayList<>(admins.principalsReachingAdmin());
            reaching.sort(Comparator.comparingInt(admins::distanceToAdmin).thenComparing(id -> id));
            for (String id : reaching) {
                int distance = admins.distanceToAdmin(id);
                if (distance > maxDepth) {
                    beyondDepth = true;
                    continue;
                }
                total++;
                if (sources.size() < limit) {
                    Path witness = admins.witness(id);
                    Administrator end = witness == null ? null : administrator(witness.to());
                    sources.add(source(id, admins.reach(id), distance, witness, null, end == null ? null : end.scopes()));
                }
            }
        } else {
            Target target = target(to);
            PathSearch search = new PathSearch(projection, target.principals(), target.implied());
            for (String id : search.sources()) {
                int distance = search.distance(id);
                if (distance > maxDepth) {
                    beyondDepth = true;
                    continue;
                }
                if (id.equals(to)) {
                    continue;
                }
                total++;
                if (sources.size() < limit) {
                    // A path to a resource ends with the CAN_ACCESS step, which the distance counts.
                    int steps = target.access() == null ? distance : distance + 1;
                    sources.add(source(id, search.reach(id), steps, search.witness(id), target.access(), null));
                }
            }
        }
        String reason = total > limit ? total + " principals reach the target; the first " + limit + " are listed"
                : beyondDepth ? "principals more than " + maxDepth + " steps away are left out" : null;
        return new Reaching(to, total, sources, new ReverseBounds(maxDepth, limit, reason != null, reason));
    }

    /**
     * The principals that count as having reached a target, for a resource their access to it, and the steps
     * implied into it.
     */
    record Target(Map<String, Boolean> principals, Map<String, ResourceAccess> access, List<Step> implied) {
    }

    Target target(String to) {
        AwsProjection.PrincipalNode node = projection.principal(to);
        if (node != null) {
            return new Target(Map.of(to, false), null, administered(node));
        }
        Map<String, Boolean> holders = new LinkedHashMap<>();
        Map<String, ResourceAccess> access = new LinkedHashMap<>();
        for (String principal : projection.principals().keySet()) {
            for (ResourceAccess edge : projection.resourceAccess(principal)) {
                if (edge.resource().equals(to)) {
                    holders.put(principal, edge.conditional());
                    access.put(principal, edge);
                }
            }
        }
        if (holders.isEmpty() && projection.resource(to) == null) {
            throw new NoSuchElementException("No principal or resource " + to + " in the graph. Give \"admin\", a"
                    + " principal's ARN or GCP member name, the ARN of an AWS resource with a resource policy, or the"
                    + " full name of a GCP resource with an allow policy of its own.");
        }
        return new Target(holders, access, List.of());
    }

    /**
     * Returns a step from each administrator of the principal's account to it. The escalation analysis gives
     * administrators no edges, because they can become any principal of their account: with
     * iam:UpdateAssumeRolePolicy on a role, iam:CreateAccessKey on a user, or iam:AddUserToGroup for a group.
     */
    private List<Step> administered(AwsProjection.PrincipalNode target) {
        if ("GcpServiceAccount".equals(target.kind())) {
            return administeredServiceAccount(target);
        }
        if (target.external() || target.account() == null) {
            return List.of();
        }
        List<Step> steps = new ArrayList<>();
        for (String admin : admins.admins()) {
            AwsProjection.PrincipalNode node = projection.principal(admin);
            boolean canAct = "AwsUser".equals(node.kind()) || "AwsRole".equals(node.kind());
            if (!canAct || admin.equals(target.id()) || !target.account().equals(node.account())) {
                continue;
            }
            steps.add(administers(node, target, "an administrator of account " + target.account() + " can become any of"
                    + " its principals, for example with iam:UpdateAssumeRolePolicy on a role or iam:CreateAccessKey on a user"));
        }
        return steps;
    }

    /**
     * Returns a step from each administrator of an organization, folder or project above a service account to it:
     * setIamPolicy there lets it grant itself roles/iam.serviceAccountTokenCreator on the account.
     */
    private List<Step> administeredServiceAccount(AwsProjection.PrincipalNode target) {
        Object ancestors = target.properties().get("ancestors");
        if (!(ancestors instanceof List<?> above) || above.isEmpty()) {
            return List.of();
        }
        List<Step> steps = new ArrayList<>();
        for (String admin : admins.admins()) {
            AwsProjection.PrincipalNode node = projection.principal(admin);
            Object scopes = node.properties().get("adminScopes");
            if (admin.equals(target.id()) || !(scopes instanceof List<?> held)) {
                continue;
            }
            String scope = held.stream().map(Object::toString).filter(above::contains).findFirst().orElse(null);
            if (scope == null) {
                continue;
            }
            steps.add(administers(node, target, "an administrator of " + scope + " can set its IAM policy to grant itself"
                    + " roles/iam.serviceAccountTokenCreator on any service account under it"));
        }
        return steps;
    }

    /** Returns the implied step from an administrator to a principal it controls, with why and the admin's own evidence. */
    private Step administers(AwsProjection.PrincipalNode admin, AwsProjection.PrincipalNode target, String note) {
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(new Evidence(null, null, null, null, -1, null, null, null, null, null, null, note));
        Object why = admin.properties().get("adminEvidence");
        if (why != null) {
            evidence.addAll(AwsProjection.readEvidence(why.toString()));
        }
        return Step.implied(admin.id(), target.id(), ADMINISTERS, Boolean.TRUE.equals(admins.adminConditional(admin.id())),
                List.copyOf(evidence));
    }

    private Source source(String id, Reach reach, int distance, Path witness, Map<String, ResourceAccess> access,
                          List<String> administers) {
        AwsProjection.PrincipalNode node = projection.principal(id);
        return new Source(id, node.kind(), node.account(), reach.name(), distance, withAccess(witness, access), administers);
    }

    /**
     * Returns {@code answer} with the administrators that its paths end at, in the order of the paths: what each
     * administers and the statements or bindings that make it one, so that a reader need not take the end on trust.
     */
    private Answer withAdministrators(Answer answer) {
        Map<String, Administrator> ends = new LinkedHashMap<>();
        for (Path path : answer.paths()) {
            if (!ends.containsKey(path.to())) {
                Administrator end = administrator(path.to());
                ends.put(path.to(), end != null ? end : awsAdministrator(path.to()));
            }
        }
        List<Administrator> found = ends.values().stream().filter(java.util.Objects::nonNull).toList();
        if (found.isEmpty()) {
            return answer;
        }
        return new Answer(answer.from(), answer.to(), answer.reachable(), answer.distance(), answer.paths(), found,
                answer.conditions(), answer.bounded());
    }

    /**
     * Returns what a GCP administrator administers, from the marks the GCP analysis stores on its node, or null
     * for a principal without them, such as an AWS administrator.
     */
    public Administrator administrator(String principalId) {
        AwsProjection.PrincipalNode node = projection.principal(principalId);
        if (node == null || !(node.properties().get("adminScopes") instanceof List<?> scopes) || scopes.isEmpty()) {
            return null;
        }
        List<String> techniques = node.properties().get("adminTechniques") instanceof List<?> list
                ? list.stream().map(Object::toString).toList() : List.of();
        Object stored = node.properties().get("adminEvidence");
        // A binding that grants setIamPolicy on several scopes, as a conditional one on a folder and the folders
        // below it does, is stored once per scope.
        List<Evidence> evidence = stored == null ? List.of()
                : List.copyOf(new LinkedHashSet<>(AwsProjection.readEvidence(stored.toString())));
        return new Administrator(principalId, projection.adminMark(principalId),
                scopes.stream().map(Object::toString).toList(), techniques, evidence);
    }

    /**
     * Returns why an AWS user, role or group is an administrator of its account, or null for a non-administrator.
     * The reason is the escalation analysis's mark with its technique and evidence, or else the identity-policy
     * statements that allow every action on every resource.
     */
    public Administrator awsAdministrator(String principalId) {
        AwsProjection.PrincipalNode node = projection.principal(principalId);
        Boolean conditional = admins.adminConditional(principalId);
        if (node == null || conditional == null || AdminReachability.isGcp(node) || node.account() == null) {
            return null;
        }
        String reaches = conditional ? AwsProjection.ADMIN_CONDITIONAL : AwsProjection.ADMIN_YES;
        List<String> scopes = List.of("account " + node.account());
        Object stored = node.properties().get("adminEvidence");
        if (stored != null) {
            List<String> techniques = node.properties().get("adminTechniques") instanceof List<?> list
                    ? list.stream().map(Object::toString).toList() : List.of();
            Set<Evidence> evidence = new LinkedHashSet<>(AwsProjection.readEvidence(stored.toString()));
            // The mark of an administrator by its own policies carries only a note, so the statements are added here.
            if (techniques.contains(EscalationAnalysis.OWN_POLICIES)) {
                evidence.addAll(allowingEverything(principalId));
            }
            return new Administrator(principalId, reaches, scopes, techniques, List.copyOf(evidence));
        }
        return new Administrator(principalId, reaches, scopes, List.of(), allowingEverything(principalId));
    }

    /**
     * Returns the unconditional Allow statements of a principal's identity policies that cover every resource with a
     * wildcard or NotAction, the ones that make it an administrator by its own policies.
     *
     * <p>NOTE: an administrator whose rights add up from several service-wide statements has none of these. The path
     * answer then names no statement, and {@code can} shows the statement behind each action.
     */
    private List<Evidence> allowingEverything(String principalId) {
        List<Evidence> found = new ArrayList<>();
        for (PolicySet.GrantingPolicy granting : projection.policySet(principalId).identityPolicies()) {
            for (Statement statement : granting.policy().statements()) {
                boolean everyAction = statement.notAction() || statement.actions().contains("*")
                        || statement.actions().contains("*:*");
                if (statement.allow() && !statement.conditional() && statement.coversAllResources() && everyAction) {
                    found.add(Evidence.of(granting.policy(), granting.via(), statement, null,
                            "allows every action on every resource"));
                }
            }
        }
        return List.copyOf(found);
    }

    private static Answer answer(String from, String to, Reach reach, int distance, Paths found, Path witness,
                                 Map<String, ResourceAccess> access) {
        List<Path> paths = new ArrayList<>(found.paths());
        // reachable is decided over the whole graph. When the enumeration stopped before the unconditional path
        // that proves it, the witness is added so that the result contains the proof.
        if (reach == Reach.YES && paths.stream().noneMatch(path -> !path.conditional()) && witness != null
                && witness.length() <= found.bounds().maxDepth()) {
            paths.add(witness);
        }
        paths.replaceAll(path -> withAccess(path, access));
        List<Condition> conditions = reach == Reach.CONDITIONAL ? PathSearch.conditionsOf(paths) : null;
        return new Answer(from, to, reach.name(), distance < 0 ? null : distance + (access == null ? 0 : 1),
                List.copyOf(paths), null, conditions, found.bounds());
    }

    /** Appends the CAN_ACCESS step to a path that ends at a principal holding access to the target resource. */
    private static Path withAccess(Path path, Map<String, ResourceAccess> access) {
        if (path == null || access == null) {
            return path;
        }
        ResourceAccess edge = access.get(path.to());
        List<Hop> steps = new ArrayList<>(path.steps());
        steps.add(new Hop(edge.principal(), edge.resource(), "CAN_ACCESS", null, edge.conditional(), edge.evidence()));
        List<String> nodes = new ArrayList<>(path.principals());
        nodes.add(edge.resource());
        return new Path(path.from(), edge.resource(), path.length() + 1, path.conditional() || edge.conditional(),
                List.copyOf(nodes), List.copyOf(steps));
    }
}
