package dev.nhigraph.analysis;

import dev.nhigraph.analysis.AwsProjection.AssumeEdge;
import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.aws.TrustedPrincipal;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.Statement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The dense core of CAN_ASSUME in a form that is cheap to store: one edge per caller to an AssumeTargetSet
 * instead of one edge per caller and role.
 *
 * <p>A role whose trust policy accepts its own account root delegates the decision to the caller's identity
 * policies. In a large account a few percent of the users and roles may call sts:AssumeRole on every role, and
 * each of them can then assume every such role: hundreds of callers times hundreds of roles. A set is every role
 * of one account whose trust policy accepts that account's root unconditionally, or every one that accepts it
 * under the same Condition block, such as MFA being present.
 *
 * <p>The edges are still derived pair by pair, and expanding a caller's edge to a set gives back exactly the
 * caller's edges to its members. The edge covers the members whose edges are equally conditional and have the same
 * evidence apart from the member's own trust statements, at the same position. The member's part is stored once,
 * on its INCLUDES relationship, and the caller part on the CAN_ASSUME edge with that position ({@code trustAt}).
 * The other members are listed in the edge's {@code except} and keep their direct edges, if they have any.
 */
final class AssumeTargetSets {

    /** The smallest set worth a node: below it, direct edges are clearer to query and cost little. */
    static final int MIN_SET_SIZE = 20;

    /**
     * The id prefix of the sets of roles that trust their account root. The account id follows, and for a
     * conditional trust ":condition:" and the first 12 hex digits of the SHA-256 of the Condition block's JSON.
     */
    static final String ID_PREFIX = "assume-targets:account-root:";

    /**
     * The roles of one account whose trust policies accept the account root under the same {@code condition}, the
     * Condition block's JSON, or unconditionally when it is null.
     */
    record TargetSet(String id, String account, String condition, List<String> members) {
    }

    /**
     * One CAN_ASSUME edge from {@code source} to every member of {@code set} but itself and those in
     * {@code except}. The evidence of the step to a member is {@code callerEvidence} with the member's trust
     * evidence inserted before index {@code trustAt}. {@code covered} lists the members it stands for.
     */
    record SetEdge(String source, String set, boolean conditional, List<Evidence> callerEvidence, int trustAt,
                   List<String> except, List<String> covered) {
    }

    /**
     * The edges as stored: those that stay direct, the sets, each member's trust evidence by role id, and the
     * edges to sets.
     */
    record Compressed(List<AssumeEdge> direct, List<TargetSet> sets, Map<String, List<Evidence>> trustEvidence,
                      List<SetEdge> setEdges) {
    }

    private AssumeTargetSets() {
    }

    /**
     * Splits {@code edges}, as {@link AssumeRoleAnalysis} derived them, into direct edges and edges to sets of at
     * least {@code minSetSize} roles.
     */
    static Compressed compress(AwsProjection projection, List<AssumeEdge> edges, int minSetSize) {
        Map<String, TargetSet> sets = findSets(projection, minSetSize);
        Map<String, List<TargetSet>> setsByAccount = new HashMap<>();
        sets.values().forEach(set -> setsByAccount.computeIfAbsent(set.account(), account -> new ArrayList<>()).add(set));

        // Each caller's edges by target, in the order derived.
        Map<String, Map<String, AssumeEdge>> bySource = new LinkedHashMap<>();
        for (AssumeEdge edge : edges) {
            bySource.computeIfAbsent(edge.source(), source -> new LinkedHashMap<>()).put(edge.target(), edge);
        }

        // A member's trust evidence is stored once, so every caller's edge through the set must agree on it.
        Map<String, List<Evidence>> trustEvidence = new HashMap<>();
        List<SetEdge> setEdges = new ArrayList<>();
        Map<String, Set<String>> replacedTargets = new HashMap<>();
        Set<String> usedSets = new HashSet<>();
        for (Map.Entry<String, Map<String, AssumeEdge>> entry : bySource.entrySet()) {
            PrincipalNode caller = projection.principal(entry.getKey());
            if (caller == null) {
                continue;
            }
            for (TargetSet set : setsByAccount.getOrDefault(caller.account(), List.of())) {
                SetEdge setEdge = throughSet(caller.id(), set, entry.getValue(), trustEvidence, minSetSize);
                if (setEdge != null) {
                    setEdges.add(setEdge);
                    usedSets.add(set.id());
                    replacedTargets.computeIfAbsent(caller.id(), id -> new HashSet<>()).addAll(setEdge.covered());
                }
            }
        }

        List<AssumeEdge> direct = new ArrayList<>();
        for (AssumeEdge edge : edges) {
            Set<String> replaced = replacedTargets.get(edge.source());
            if (replaced == null || !replaced.contains(edge.target())) {
                direct.add(edge);
            }
        }
        List<TargetSet> used = sets.values().stream().filter(set -> usedSets.contains(set.id())).toList();
        return new Compressed(direct, used, trustEvidence, setEdges);
    }

    /** The parts of a CAN_ASSUME edge's evidence that do not depend on the member of the set it goes to. */
    private record Shape(boolean conditional, List<Evidence> callerPart, int trustAt) {
    }

    /**
     * Returns the caller's edge to the set, or null when it would cover fewer than {@code minCovered} members.
     *
     * <p>Each of the caller's edges to a member is split into the member's trust statements, which must form one
     * run, and the rest. The edge to the set covers the members whose edges share the most common rest and
     * position. The other members are listed in its {@code except} and keep their direct edges, if they have any,
     * so expanding the set gives back exactly the caller's edges. A member's trust part is recorded the first
     * time it is seen. A later caller whose part for that member differs gets the member as an exception.
     */
    private static SetEdge throughSet(String caller, TargetSet set, Map<String, AssumeEdge> edgesByTarget,
                                      Map<String, List<Evidence>> trustEvidence, int minCovered) {
        Map<Shape, List<String>> membersByShape = new LinkedHashMap<>();
        Map<String, List<Evidence>> memberParts = new HashMap<>();
        for (String member : set.members()) {
            AssumeEdge edge = member.equals(caller) ? null : edgesByTarget.get(member);
            if (edge == null) {
                continue;
            }

            List<Evidence> evidence = edge.evidence();
            String trustPolicy = member + "#trust";
            int first = -1;
            int last = -1;
            boolean oneRun = true;
            for (int i = 0; i < evidence.size(); i++) {
                if (trustPolicy.equals(evidence.get(i).policy())) {
                    oneRun &= first < 0 || last == i - 1;
                    first = first < 0 ? i : first;
                    last = i;
                }
            }
            if (first < 0 || !oneRun) {
                continue;
            }
            List<Evidence> memberPart = List.copyOf(evidence.subList(first, last + 1));
            List<Evidence> known = trustEvidence.get(member);
            if (known != null && !known.equals(memberPart)) {
                continue;
            }
            List<Evidence> callerPart = new ArrayList<>(evidence.subList(0, first));
            callerPart.addAll(evidence.subList(last + 1, evidence.size()));
            membersByShape.computeIfAbsent(new Shape(edge.conditional(), List.copyOf(callerPart), first), shape -> new ArrayList<>())
                    .add(member);
            memberParts.put(member, memberPart);
        }

        Map.Entry<Shape, List<String>> common = null;
        for (Map.Entry<Shape, List<String>> entry : membersByShape.entrySet()) {
            if (common == null || entry.getValue().size() > common.getValue().size()) {
                common = entry;
            }
        }
        if (common == null || common.getValue().size() < minCovered) {
            return null;
        }
        Set<String> covered = new HashSet<>(common.getValue());
        List<String> except = new ArrayList<>();
        for (String member : set.members()) {
            if (!member.equals(caller) && !covered.contains(member)) {
                except.add(member);
            }
        }
        covered.forEach(member -> trustEvidence.put(member, memberParts.get(member)));
        Shape shape = common.getKey();
        return new SetEdge(caller, set.id(), shape.conditional(), shape.callerPart(), shape.trustAt(), List.copyOf(except),
                List.copyOf(common.getValue()));
    }

    /** Returns the sets of at least {@code minSetSize} roles, by id, in the order of account and condition. */
    private static Map<String, TargetSet> findSets(AwsProjection projection, int minSetSize) {
        Map<String, List<PrincipalNode>> membersByKey = new TreeMap<>();
        Map<String, String> conditionByKey = new HashMap<>();
        for (PrincipalNode role : projection.principals().values()) {
            if (!"AwsRole".equals(role.kind()) || role.external() || role.trustPolicy() == null) {
                continue;
            }
            Set<String> conditions = rootTrustConditions(role);
            // A role that accepts its root in two ways, such as with and without MFA, joins no set.
            if (conditions.size() != 1) {
                continue;
            }
            String condition = conditions.iterator().next();
            String key = role.account() + (condition.isEmpty() ? "" : ":condition:" + sha256Prefix(condition));
            membersByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(role);
            conditionByKey.put(key, condition.isEmpty() ? null : condition);
        }
        Map<String, TargetSet> sets = new LinkedHashMap<>();
        membersByKey.forEach((key, members) -> {
            if (members.size() >= minSetSize) {
                String id = ID_PREFIX + key;
                sets.put(id, new TargetSet(id, members.get(0).account(), conditionByKey.get(key),
                        members.stream().map(PrincipalNode::id).toList()));
            }
        });
        return sets;
    }

    /**
     * Returns the Condition blocks, as JSON, of the trust policy's Allow statements of sts:AssumeRole for the role's
     * own account root, "" for one without a condition. Empty when no statement accepts the root.
     */
    private static Set<String> rootTrustConditions(PrincipalNode role) {
        Policy trust = Policy.parse(role.id() + "#trust", "trust policy of " + role.name(), "trust", role.trustPolicy());
        Set<String> conditions = new HashSet<>();
        for (Statement statement : trust.statements()) {
            if (!statement.allow() || statement.notPrincipal() || !statement.coversAction("sts:AssumeRole")) {
                continue;
            }
            for (String value : statement.principals().getOrDefault("AWS", List.of())) {
                TrustedPrincipal trusted = TrustedPrincipal.of("AWS", value, Map.of());
                if (trusted != null && "AwsAccount".equals(trusted.kind()) && role.account().equals(trusted.account())) {
                    conditions.add(statement.conditional() ? statement.condition().toString() : "");
                }
            }
        }
        return conditions;
    }

    private static String sha256Prefix(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
