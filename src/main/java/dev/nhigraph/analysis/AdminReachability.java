package dev.nhigraph.analysis;

import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.analysis.PathSearch.Path;
import dev.nhigraph.analysis.PathSearch.Paths;
import dev.nhigraph.analysis.PathSearch.Reach;
import dev.nhigraph.policy.AccessSummarizer;
import dev.nhigraph.policy.Evidence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Admin reachability: which principals are administrators or can become one through CAN_ASSUME and CAN_ESCALATE
 * steps, with a witness path for each, and the shortest paths from one principal.
 *
 * <p>An administrator is a user or role allowed every action on every resource of its account: by its own
 * policies (identity, group and boundary, without SCPs), or by a technique it can use on itself, as the
 * escalation analysis marks it with {@code adminEquivalent} YES or CONDITIONAL. A group whose policies amount to
 * administrator access, or let a member make itself one, is a target too, since a principal that can add a user
 * to it gains that access.
 *
 * <p>An administrator of any loaded account counts, as the path's last principal shows: a role that can assume
 * the administrator role of another account controls that account, which matters as much as its own. Principals
 * outside the loaded accounts (another account, a service, a federated provider, "*") count alike.
 *
 * <p>NOTE: a group reached by iam:AddUserToGroup counts only when the group itself is an administrator; the
 * further techniques its policies would allow the new member are not followed.
 *
 * <p>Safe to share between threads, as long as the projection is not modified.
 */
public final class AdminReachability {

    public static final int DEFAULT_MAX_DEPTH = PathSearch.DEFAULT_MAX_DEPTH;
    public static final int MAX_DEPTH_LIMIT = PathSearch.MAX_DEPTH_LIMIT;
    public static final int DEFAULT_MAX_PATHS = PathSearch.DEFAULT_MAX_PATHS;
    public static final int MAX_PATHS_LIMIT = PathSearch.MAX_PATHS_LIMIT;

    private final AwsProjection projection;
    private final Map<String, Boolean> admins;
    private final PathSearch search;

    private AdminReachability(AwsProjection projection, Map<String, Boolean> admins) {
        this.projection = projection;
        this.admins = Collections.unmodifiableMap(new LinkedHashMap<>(admins));
        this.search = new PathSearch(projection, admins);
    }

    /** Finds the administrators of {@code projection}, as {@link #findAdmins} does, and returns their reachability. */
    public static AdminReachability compute(AwsProjection projection, AccessSummaries summaries) {
        return new AdminReachability(projection, findAdmins(projection, summaries));
    }

    /** Same as {@link #compute(AwsProjection, AccessSummaries)}, for callers without access summaries. */
    public static AdminReachability compute(AwsProjection projection, AccessSummarizer summarizer, AwsAuthorization authorization) {
        return compute(projection, new AccessSummaries(projection, summarizer, authorization));
    }

    /** Returns the reachability of administrators as {@link #findAdmins} returns them, to time the two apart. */
    public static AdminReachability of(AwsProjection projection, Map<String, Boolean> admins) {
        return new AdminReachability(projection, admins);
    }

    /**
     * Returns the administrators of the projection, each mapped to whether it is one only under a condition.
     * They are the users and roles that are administrators by their own policies or marked adminEquivalent by the
     * escalation analysis, and the groups whose policies make a member one. Principals of accounts outside the
     * bundle are left out, since their policies are unknown. For GCP they are the principals that the GCP analysis
     * marks as administrators of an organization, folder or project.
     *
     * <p>NOTE: SCPs are left out on purpose. An SCP that denies one action everywhere, such as
     * organizations:LeaveOrganization, would otherwise make no one in a member account an administrator. So a role
     * with AdministratorAccess under an SCP that denies most actions still counts as an administrator.
     */
    public static Map<String, Boolean> findAdmins(AwsProjection projection, AccessSummaries summaries) {
        Map<String, Boolean> admins = new LinkedHashMap<>();
        for (PrincipalNode node : projection.principals().values()) {
            if (isGcp(node)) {
                // The GCP analysis marks administrators of an organization, folder or project directly.
                String mark = projection.adminMark(node.id());
                if (mark != null) {
                    admins.put(node.id(), !AwsProjection.ADMIN_YES.equals(mark));
                }
                continue;
            }
            boolean identity = "AwsUser".equals(node.kind()) || "AwsRole".equals(node.kind()) || "AwsGroup".equals(node.kind());
            if (!identity || node.external()) {
                continue;
            }
            String mark = projection.adminMark(node.id());
            if (AwsProjection.ADMIN_YES.equals(mark) || summaries.isAdmin(node)) {
                admins.put(node.id(), false);
            } else if (AwsProjection.ADMIN_CONDITIONAL.equals(mark)) {
                admins.put(node.id(), true);
            }
            String group = groupBehindMark(projection, node);
            if (group != null && !Boolean.FALSE.equals(admins.get(group))) {
                admins.put(group, !AwsProjection.ADMIN_YES.equals(mark));
            }
        }
        return admins;
    }

    static boolean isGcp(PrincipalNode node) {
        return "GcpServiceAccount".equals(node.kind()) || "GcpMember".equals(node.kind());
    }

    /**
     * Returns the group whose policies alone make this user an administrator, or null. That is the case when
     * every statement in the evidence of the user's adminEquivalent mark reaches it through one group, as with
     * a group that grants iam:* and so lets any member attach AdministratorAccess to itself. A principal that can
     * join that group gains the same.
     *
     * <p>NOTE: such a group is found only through a member that has the mark, so a group without members
     * that would give the same is not counted.
     */
    private static String groupBehindMark(AwsProjection projection, PrincipalNode user) {
        Object evidence = user.properties().get("adminEvidence");
        if (!"AwsUser".equals(user.kind()) || projection.adminMark(user.id()) == null || evidence == null) {
            return null;
        }
        String group = null;
        for (Evidence statement : AwsProjection.readEvidence(evidence.toString())) {
            if (statement.policy() == null) {
                continue;
            }
            if (statement.via() == null || (group != null && !group.equals(statement.via()))) {
                return null;
            }
            group = statement.via();
        }
        return group;
    }

    /** Returns the projection the searches run on. */
    public AwsProjection projection() {
        return projection;
    }

    /** Returns the administrators, in the order of the projection. */
    public Set<String> admins() {
        return admins.keySet();
    }

    /** Returns whether the principal is an administrator only under a condition, or null for a non-administrator. */
    public Boolean adminConditional(String principalId) {
        return admins.get(principalId);
    }

    /** Tells whether {@code principalId} is an administrator or can become one, and how surely. */
    public Reach reach(String principalId) {
        return search.reach(principalId);
    }

    /** Returns whether {@code principalId} is an administrator or can become one, under conditions or not. */
    public boolean reachesAdmin(String principalId) {
        return reach(principalId) != Reach.NO;
    }

    /** Returns the number of steps from {@code principalId} to its nearest administrator, or -1 when it reaches none. */
    public int distanceToAdmin(String principalId) {
        return search.distance(principalId);
    }

    /**
     * Returns one shortest path from {@code principalId} to an administrator: unconditional when such a path exists,
     * even if a conditional one is shorter. Returns null when no administrator is reachable.
     */
    public Path witness(String principalId) {
        return search.witness(principalId);
    }

    /** Returns every principal of the projection that is an administrator or can reach one, in projection order. */
    public List<String> principalsReachingAdmin() {
        List<String> reaching = new ArrayList<>();
        for (String id : projection.principals().keySet()) {
            if (reachesAdmin(id)) {
                reaching.add(id);
            }
        }
        return reaching;
    }

    /**
     * Returns up to {@code maxPaths} shortest simple paths from {@code rootId} to administrators.
     * For an administrator the result is its own path of length 0.
     *
     * @throws IllegalArgumentException when the depth or the number of paths is outside its range
     * @throws NoSuchElementException   when the principal is not in the graph
     */
    public Paths pathsToAdmin(String rootId, int maxDepth, int maxPaths) {
        PathSearch.checkBounds(maxDepth, maxPaths);
        if (projection.principal(rootId) == null) {
            throw new NoSuchElementException("No principal with id " + rootId + " in the graph."
                    + " Use the full ARN, or search with GET /api/principals?q=NAME.");
        }
        return search.paths(rootId, maxDepth, maxPaths);
    }
}
