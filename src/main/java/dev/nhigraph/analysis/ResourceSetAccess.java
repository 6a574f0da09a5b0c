package dev.nhigraph.analysis;

import dev.nhigraph.analysis.AwsProjection.ResourceAccess;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.Policy;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The AwsResourceSet nodes of a projection and the CAN_ACCESS edges to them, expanded on request into one edge per
 * member, as {@link ResourceAccessAnalysis} would have derived it resource by resource.
 */
final class ResourceSetAccess {

    private final Map<String, List<String>> membersBySet = new HashMap<>();
    private final Map<String, List<SetEdge>> edgesByPrincipal = new HashMap<>();
    private int edgeCount;

    void addSet(String setId, List<String> members) {
        membersBySet.put(setId, List.copyOf(members));
    }

    /** An edge to a set, whose {@code resource} is the set's id, and the members it leaves out. */
    private record SetEdge(ResourceAccess access, Set<String> except) {
    }

    /** Adds an edge to a set; its {@code resource} is the set's id. */
    void addEdge(ResourceAccess edge, List<String> except) {
        edgesByPrincipal.computeIfAbsent(edge.principal(), k -> new ArrayList<>()).add(new SetEdge(edge, Set.copyOf(except)));
        edgeCount++;
    }

    int setCount() {
        return membersBySet.size();
    }

    int edgeCount() {
        return edgeCount;
    }

    /**
     * Adds to {@code all} an edge from {@code principalId} to each member of each set it reaches, except the edge's
     * own exceptions and the resources in {@code reached}, to which it has an edge already.
     *
     * @param policyOf the policy of a member resource, whose id and name replace those of the representative
     */
    void expand(String principalId, Set<String> reached, List<ResourceAccess> all, Function<String, Policy> policyOf) {
        for (SetEdge setEdge : edgesByPrincipal.getOrDefault(principalId, List.of())) {
            ResourceAccess edge = setEdge.access();
            for (String member : membersBySet.getOrDefault(edge.resource(), List.of())) {
                if (!setEdge.except().contains(member) && reached.add(member)) {
                    all.add(new ResourceAccess(principalId, member, edge.accessLevels(), edge.actionCount(),
                            edge.conditional(), evidenceFor(edge.evidence(), policyOf.apply(member))));
                }
            }
        }
    }

    boolean reaches(String principalId) {
        return edgesByPrincipal.containsKey(principalId);
    }

    /**
     * Returns {@code evidence} with each statement of a resource policy cited from {@code memberPolicy}. A decision
     * takes one resource policy, that of the resource decided on, and the members of a set have its statements at
     * the same indexes with the same Sids, so only the policy's id and name change. Nothing is parsed until read.
     */
    static List<Evidence> evidenceFor(List<Evidence> evidence, Policy memberPolicy) {
        return new AbstractList<>() {
            @Override
            public Evidence get(int index) {
                Evidence e = evidence.get(index);
                if (memberPolicy == null || !"resource".equals(e.policyKind())) {
                    return e;
                }
                return new Evidence(memberPolicy.id(), memberPolicy.name(), e.policyKind(), e.via(), e.statement(), e.sid(),
                        e.effect(), e.actions(), e.resources(), e.principals(), e.condition(), e.note());
            }

            @Override
            public int size() {
                return evidence.size();
            }
        };
    }
}
