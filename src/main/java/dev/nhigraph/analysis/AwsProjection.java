package dev.nhigraph.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.PolicyDocuments;
import dev.nhigraph.policy.PolicySet;
import dev.nhigraph.policy.PolicySet.GrantingPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.AbstractBaseGraph;
import org.jgrapht.graph.DefaultGraphSpecificsStrategy;
import org.jgrapht.graph.DefaultGraphType;
import org.neo4j.driver.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of the graph that analysis needs, read from Neo4j into memory in one read transaction.
 *
 * <p>Policies are parsed once here and shared by every principal they are attached to. The CAN_ASSUME edges
 * form a JGraphT graph for path search.
 */
public final class AwsProjection {

    /** A principal node with the properties analysis uses. */
    public record PrincipalNode(String id, String kind, String name, String account, boolean external,
                                String trustPolicy, Map<String, Object> properties) {
    }

    /** A CAN_ASSUME relationship as stored in Neo4j. */
    public record AssumeEdge(String source, String target, boolean conditional, List<Evidence> evidence) {
    }

    /**
     * One step a principal can take towards another: a CAN_ASSUME or a CAN_ESCALATE relationship. Two principals
     * can be linked by both kinds, so steps compare by identity and live in a multigraph.
     *
     * <p>The evidence is kept as the stored JSON and parsed when a result shows the step, because a dense core of
     * roles has a million steps and a result shows a few.
     */
    public static final class Step {

        private final String source;
        private final String target;
        private final String kind;
        private final String technique;
        private final boolean conditional;
        private final List<Evidence> evidence;

        private Step(String source, String target, String kind, String technique, boolean conditional, List<Evidence> evidence) {
            this.source = source;
            this.target = target;
            this.kind = kind;
            this.technique = technique;
            this.conditional = conditional;
            this.evidence = evidence;
        }

        /**
         * Returns a step that is not stored in Neo4j but follows from other facts, such as an administrator's
         * power over every principal of its account; {@code kind} names that fact.
         */
        public static Step implied(String source, String target, String kind, boolean conditional, List<Evidence> evidence) {
            return new Step(source, target, kind, null, conditional, evidence);
        }

        public String source() {
            return source;
        }

        public String target() {
            return target;
        }

        /** CAN_ASSUME, CAN_ESCALATE or, for GCP service accounts, CAN_IMPERSONATE. */
        public String kind() {
            return kind;
        }

        /** Returns the escalation technique id, such as iam-001, or null for CAN_ASSUME. */
        public String technique() {
            return technique;
        }

        public boolean conditional() {
            return conditional;
        }

        /** Returns the statements that allow the step, parsed from the stored JSON on first use. */
        public List<Evidence> evidence() {
            return evidence;
        }

        @Override
        public String toString() {
            return source + " -" + kind + (technique == null ? "" : "(" + technique + ")") + "-> " + target;
        }
    }

    /**
     * A directed multigraph without JGraphT's default index of edges by vertex pair. Nothing looks steps up by pair,
     * and in tier Q that index was a fifth of the time spent adding the 883,784 escalation steps.
     */
    private static final class StepGraph extends AbstractBaseGraph<String, Step> {

        StepGraph() {
            super(null, null, DefaultGraphType.directedMultigraph(), new DefaultGraphSpecificsStrategy<>());
        }
    }

    /** The values of the adminEquivalent mark that the escalation analysis writes. */
    public static final String ADMIN_YES = "YES";
    public static final String ADMIN_CONDITIONAL = "CONDITIONAL";

    private static final TypeReference<List<Evidence>> EVIDENCE_LIST = new TypeReference<>() {
    };
    private static final Logger log = LoggerFactory.getLogger(AwsProjection.class);

    private final Map<String, PrincipalNode> principals = new LinkedHashMap<>();
    private final Map<String, Policy> policies = new HashMap<>();
    private final Map<String, List<String>> attachedPolicies = new HashMap<>();
    private final Map<String, String> boundaries = new HashMap<>();
    private final Map<String, List<String>> groupsOfUser = new HashMap<>();
    private final Map<String, String> invalidPolicies = new LinkedHashMap<>();
    private final Graph<String, AssumeEdge> assumeGraph = new DefaultDirectedGraph<>(null, null, false);
    private final Graph<String, Step> stepGraph = new StepGraph();
    /**
     * The last escalation step that the step graph lists for each pair, which an expansion compares with. It
     * replaces the graph's own pair lookup, the largest cost of reading the 883,784 escalation pairs of tier Q,
     * and is dropped once the projection is read.
     */
    private Map<String, Map<String, Step>> techniqueSteps = new HashMap<>();
    private final Map<String, List<String>> organizationPath = new HashMap<>();
    private final Map<String, List<String>> scpsByTarget = new HashMap<>();
    private final Map<String, List<String>> rcpsByTarget = new HashMap<>();
    private final Map<String, ResourceNode> resources = new HashMap<>();
    private final Set<String> rolesWithInstanceProfile = new HashSet<>();
    private String managementAccount;

    /** A CAN_ACCESS relationship from a principal to a resource, derived from the resource's policy. */
    public record ResourceAccess(String principal, String resource, List<String> accessLevels, int actionCount,
                                 boolean conditional, List<Evidence> evidence) {
    }

    private final Map<String, List<ResourceAccess>> resourceAccess = new HashMap<>();
    /** The CAN_ACCESS edges of GCP convenience members, such as projectEditor:P, which their holders get. */
    private final Map<String, List<ResourceAccess>> memberSetAccess = new HashMap<>();
    /** The convenience members that include each principal, from INCLUDED_IN. */
    private final Map<String, List<String>> memberSetsOf = new HashMap<>();
    /** The AWS resource sets and the CAN_ACCESS edges to them, which stand for an edge to each member. */
    private final ResourceSetAccess resourceSets = new ResourceSetAccess();

    /** A resource with a resource-based policy. */
    public record ResourceNode(String arn, String account, String service, String policyId) {
    }

    private AwsProjection() {
    }

    /** Reads principals, policies, attachments, memberships and CAN_ASSUME edges. */
    public static AwsProjection read(GraphStore store) {
        long started = System.nanoTime();
        AwsProjection projection = new AwsProjection();
        store.read(tx -> {
            // In id order, so that lists and ties that follow the projection's order do not depend on where Neo4j stored
            // each node.
            tx.run("""
                    MATCH (p:Principal)
                    RETURN p.id AS id, p.kind AS kind, p.name AS name, p.account AS account,
                           coalesce(p.external, false) AS external, p.trustPolicy AS trustPolicy, properties(p) AS props
                    ORDER BY id""")
                    .forEachRemaining(projection::addPrincipal);
            tx.run("MATCH (pol:AwsPolicy) WHERE pol.document IS NOT NULL RETURN pol.id AS id, pol.name AS name, pol.kind AS kind, pol.document AS document")
                    .forEachRemaining(projection::addPolicy);
            // Attachments and memberships in id order too, since evidence lists statements in the order of the policies.
            tx.run("""
                    MATCH (p:Principal)-[r:HAS_POLICY|HAS_BOUNDARY]->(pol:AwsPolicy)
                    RETURN p.id AS principal, type(r) AS type, pol.id AS policy ORDER BY principal, policy""")
                    .forEachRemaining(projection::addAttachment);
            tx.run("MATCH (u:AwsUser)-[:MEMBER_OF]->(g:AwsGroup) RETURN u.id AS user, g.id AS group ORDER BY user, group")
                    .forEachRemaining(r -> projection.groupsOfUser.computeIfAbsent(r.get("user").asString(), k -> new ArrayList<>())
                            .add(r.get("group").asString()));
            tx.run("MATCH (:AwsInstanceProfile)-[:RUNS_AS]->(r:AwsRole) RETURN DISTINCT r.id AS role")
                    .forEachRemaining(r -> projection.rolesWithInstanceProfile.add(r.get("role").asString()));
            tx.run("MATCH (a:Principal)-[e:CAN_ASSUME]->(b:Principal) RETURN a.id AS source, b.id AS target, e.conditional AS conditional, e.evidence AS evidence")
                    .forEachRemaining(projection::addAssumeEdge);
            // An edge to a target set stands for an edge to each member but the source and the edge's exceptions,
            // expanded here after the direct edges. Each member's trust evidence is shared by every caller's step to it.
            Map<String, Map<String, List<Evidence>>> assumeMembers = new HashMap<>();
            tx.run("MATCH (s:AssumeTargetSet)-[i:INCLUDES]->(m:Principal) RETURN s.id AS set, m.id AS member, i.trustEvidence AS trust")
                    .forEachRemaining(r -> assumeMembers.computeIfAbsent(r.get("set").asString(), k -> new LinkedHashMap<>())
                            .put(r.get("member").asString(), new StoredEvidence(r.get("trust").asString("[]"))));
            tx.run("""
                    MATCH (a:Principal)-[e:CAN_ASSUME]->(s:AssumeTargetSet)
                    RETURN a.id AS source, s.id AS set, e.conditional AS conditional, e.evidence AS evidence,
                           e.trustAt AS trustAt, coalesce(e.except, []) AS except""")
                    .forEachRemaining(r -> projection.addAssumeSetEdges(r, assumeMembers.getOrDefault(r.get("set").asString(), Map.of())));
            tx.run("""
                    MATCH (a:Principal)-[e:CAN_ESCALATE|CAN_IMPERSONATE]->(b:Principal)
                    RETURN a.id AS source, b.id AS target, type(e) AS kind, e.technique AS technique,
                           e.conditional AS conditional, e.evidence AS evidence""")
                    .forEachRemaining(projection::addEscalationStep);
            // A step to a target set stands for a step to each member, so it is expanded here for path search.
            Map<String, List<String>> members = new HashMap<>();
            tx.run("MATCH (s:EscalationTargetSet)-[:INCLUDES]->(m:Principal) RETURN s.id AS set, collect(m.id) AS members")
                    .forEachRemaining(r -> members.put(r.get("set").asString(), r.get("members").asList(v -> v.asString())));
            tx.run("""
                    MATCH (a:Principal)-[e:CAN_ESCALATE]->(s:EscalationTargetSet)
                    RETURN a.id AS source, s.id AS set, e.technique AS technique, e.conditional AS conditional,
                           e.evidence AS evidence""")
                    .forEachRemaining(r -> projection.addSetSteps(r, members.getOrDefault(r.get("set").asString(), List.of())));
            // A scope-wide GCP step stands for a step to each enabled service account below its scope, so it is
            // expanded here too, after the direct steps that it must not replace.
            projection.addScopeSteps(tx.run("""
                    MATCH (a:Principal)-[e:CAN_IMPERSONATE|CAN_ESCALATE]->(c:GcpResource)
                    WHERE e.scopeWide
                    RETURN a.id AS source, c.id AS scope, type(e) AS kind, e.technique AS technique,
                           e.conditional AS conditional, e.evidence AS evidence,
                           coalesce(e.exceptScopes, []) AS exceptScopes""").list());
            projection.readOrganization(tx);
            return null;
        });
        projection.techniqueSteps = null;
        log.info("Read projection in {} ms: {} principals, {} policies, {} CAN_ASSUME and {} CAN_ESCALATE edges",
                (System.nanoTime() - started) / 1_000_000, projection.principals.size(), projection.policies.size(),
                projection.assumeGraph.edgeSet().size(), projection.stepGraph.edgeSet().size() - projection.assumeGraph.edgeSet().size());
        return projection;
    }

    /** Reads the organization tree, SCP and RCP attachments and resource policies, when a bundle had them. */
    private void readOrganization(org.neo4j.driver.TransactionContext tx) {
        tx.run("MATCH (o:AwsOrganization) RETURN o.managementAccount AS management LIMIT 1")
                .forEachRemaining(r -> managementAccount = r.get("management").asString(null));
        // The path runs from the organization root down to the account, the order in which SCP levels apply.
        tx.run("""
                MATCH (a:AwsAccount)-[:IN_OU]->(parent:AwsOrganizationalUnit)
                MATCH path = (parent)-[:CHILD_OF*0..]->(root:AwsOrganizationalUnit {root: true})
                RETURN a.id AS account, reverse([n IN nodes(path) | n.id]) AS ous""")
                .forEachRemaining(r -> {
                    List<String> levels = new ArrayList<>(r.get("ous").asList(v -> v.asString()));
                    levels.add(r.get("account").asString());
                    organizationPath.put(r.get("account").asString(), levels);
                });
        tx.run("MATCH (t)-[r:HAS_SCP|HAS_RCP]->(p:AwsPolicy) RETURN t.id AS target, type(r) AS type, p.id AS policy")
                .forEachRemaining(r -> (r.get("type").asString().equals("HAS_SCP") ? scpsByTarget : rcpsByTarget)
                        .computeIfAbsent(r.get("target").asString(), k -> new ArrayList<>()).add(r.get("policy").asString()));
        tx.run("MATCH (r:AwsResource)-[:HAS_POLICY]->(p:AwsPolicy) RETURN r.id AS arn, r.account AS account, r.service AS service, p.id AS policy")
                .forEachRemaining(r -> resources.put(r.get("arn").asString(), new ResourceNode(r.get("arn").asString(),
                        r.get("account").asString(null), r.get("service").asString(null), r.get("policy").asString())));
        tx.run("""
                MATCH (p:Principal)-[e:CAN_ACCESS]->(r)
                WHERE r:AwsResource OR r:GcpResource
                RETURN p.id AS principal, r.id AS resource, e.accessLevels AS levels, e.actionCount AS actions,
                       e.conditional AS conditional, e.evidence AS evidence""")
                .forEachRemaining(r -> {
                    String principal = r.get("principal").asString();
                    // A convenience member's access is its holders' access, not that of a principal of its own.
                    Map<String, List<ResourceAccess>> byPrincipal = isMemberSet(principal) ? memberSetAccess : resourceAccess;
                    byPrincipal.computeIfAbsent(principal, k -> new ArrayList<>())
                            .add(new ResourceAccess(principal, r.get("resource").asString(),
                                    r.get("levels").asList(v -> v.asString()), r.get("actions").asInt(0),
                                    r.get("conditional").asBoolean(false), new StoredEvidence(r.get("evidence").asString("[]"))));
                });
        tx.run("MATCH (s:AwsResourceSet)-[:INCLUDES]->(r:AwsResource) RETURN s.id AS set, collect(r.id) AS members")
                .forEachRemaining(r -> resourceSets.addSet(r.get("set").asString(), r.get("members").asList(v -> v.asString())));
        tx.run("""
                MATCH (p:Principal)-[e:CAN_ACCESS]->(s:AwsResourceSet)
                RETURN p.id AS principal, s.id AS set, e.accessLevels AS levels, e.actionCount AS actions,
                       e.conditional AS conditional, e.evidence AS evidence, coalesce(e.except, []) AS except""")
                .forEachRemaining(r -> resourceSets.addEdge(new ResourceAccess(r.get("principal").asString(),
                        r.get("set").asString(), r.get("levels").asList(v -> v.asString()), r.get("actions").asInt(0),
                        r.get("conditional").asBoolean(false), new StoredEvidence(r.get("evidence").asString("[]"))),
                        r.get("except").asList(v -> v.asString())));
        if (resourceSets.setCount() > 0) {
            log.info("Read {} AWS resource sets and {} CAN_ACCESS edges to them", resourceSets.setCount(), resourceSets.edgeCount());
        }
        tx.run("MATCH (h:Principal)-[:INCLUDED_IN]->(m:GcpMember) RETURN h.id AS holder, m.id AS member")
                .forEachRemaining(r -> memberSetsOf.computeIfAbsent(r.get("holder").asString(), k -> new ArrayList<>())
                        .add(r.get("member").asString()));
    }

    /** Tells whether {@code principalId} is a GCP convenience member such as {@code projectEditor:P}. */
    private boolean isMemberSet(String principalId) {
        PrincipalNode node = principals.get(principalId);
        Object type = node == null ? null : node.properties().get("memberType");
        return "projectOwner".equals(type) || "projectEditor".equals(type) || "projectViewer".equals(type);
    }

    private void addPrincipal(Record record) {
        String id = record.get("id").asString();
        principals.put(id, new PrincipalNode(id, record.get("kind").asString(null), record.get("name").asString(null),
                record.get("account").asString(null), record.get("external").asBoolean(),
                record.get("trustPolicy").asString(null), record.get("props").asMap()));
        assumeGraph.addVertex(id);
        stepGraph.addVertex(id);
    }

    private void addPolicy(Record record) {
        String id = record.get("id").asString();
        try {
            policies.put(id, Policy.parse(id, record.get("name").asString(id), record.get("kind").asString("managed"),
                    record.get("document").asString()));
        } catch (IllegalArgumentException e) {
            // The loader validates documents, so this happens only with a graph written by another tool.
            invalidPolicies.put(id, e.getMessage());
            log.warn("Left out policy {} from analysis: {}", id, e.getMessage());
        }
    }

    private void addAttachment(Record record) {
        String principal = record.get("principal").asString();
        String policy = record.get("policy").asString();
        if (record.get("type").asString().equals("HAS_BOUNDARY")) {
            boundaries.put(principal, policy);
        } else {
            attachedPolicies.computeIfAbsent(principal, k -> new ArrayList<>()).add(policy);
        }
    }

    private void addAssumeEdge(Record record) {
        addAssumeEdge(record.get("source").asString(), record.get("target").asString(),
                record.get("conditional").asBoolean(false), new StoredEvidence(record.get("evidence").asString("[]")));
    }

    private void addAssumeEdge(String source, String target, boolean conditional, List<Evidence> evidence) {
        assumeGraph.addVertex(source);
        assumeGraph.addVertex(target);
        assumeGraph.addEdge(source, target, new AssumeEdge(source, target, conditional, evidence));
        stepGraph.addVertex(source);
        stepGraph.addVertex(target);
        stepGraph.addEdge(source, target, new Step(source, target, "CAN_ASSUME", null, conditional, evidence));
    }

    private void addAssumeSetEdges(Record record, Map<String, List<Evidence>> members) {
        String source = record.get("source").asString();
        boolean conditional = record.get("conditional").asBoolean(false);
        List<Evidence> callerPart = new StoredEvidence(record.get("evidence").asString("[]"));
        int trustAt = record.get("trustAt").asInt(0);
        // The members the caller's edge does not cover keep their own direct edges, if they have any.
        Set<String> except = new HashSet<>(record.get("except").asList(v -> v.asString()));
        for (Map.Entry<String, List<Evidence>> member : members.entrySet()) {
            String target = member.getKey();
            if (target.equals(source) || except.contains(target)) {
                continue;
            }
            addAssumeEdge(source, target, conditional, new SplicedEvidence(callerPart, trustAt, member.getValue()));
        }
    }

    private void addSetSteps(Record record, List<String> members) {
        String source = record.get("source").asString();
        String technique = record.get("technique").asString(null);
        boolean conditional = record.get("conditional").asBoolean(false);
        // Every member's step has the same statements, so they share one evidence list.
        List<Evidence> evidence = new StoredEvidence(record.get("evidence").asString("[]"));
        stepGraph.addVertex(source);
        for (String member : members) {
            if (member.equals(source)) {
                continue;
            }
            stepGraph.addVertex(member);
            // Several techniques often reach the same member. Path search needs one escalation step per pair, as a
            // direct edge has, so the unconditional one is kept when there is one.
            Step known = lastTechniqueStep(source, member);
            if (known != null && (!known.conditional() || conditional)) {
                continue;
            }
            if (known != null) {
                stepGraph.removeEdge(known);
            }
            addTechniqueStep(new Step(source, member, "CAN_ESCALATE", technique, conditional, evidence));
        }
    }

    /**
     * Expands the scope-wide GCP steps. For each source and enabled service account below one of its scopes, the
     * step of the nearest such scope is taken, unless the source administers a scope between them (its
     * {@code exceptScopes}) or already has a direct step to the account. The GCP analysis stores a direct step or a
     * nearer scope's step only when it ranks higher than the farther scope's, so this picks the step that per-account
     * derivation would have picked. Accounts without the {@code ancestors} mark are not expanded to.
     */
    private void addScopeSteps(List<Record> records) {
        if (records.isEmpty()) {
            return;
        }
        Map<String, List<String>> ancestorsOf = new HashMap<>();
        Map<String, List<String>> accountsBelow = new HashMap<>();
        for (PrincipalNode node : principals.values()) {
            Object ancestors = node.properties().get("ancestors");
            if (!"GcpServiceAccount".equals(node.kind()) || Boolean.TRUE.equals(node.properties().get("disabled"))
                    || !(ancestors instanceof List<?> list)) {
                continue;
            }
            List<String> scopes = list.stream().map(String::valueOf).toList();
            ancestorsOf.put(node.id(), scopes);
            scopes.forEach(scope -> accountsBelow.computeIfAbsent(scope, k -> new ArrayList<>()).add(node.id()));
        }

        Map<String, Map<String, Record>> bySource = new LinkedHashMap<>();
        records.forEach(r -> bySource.computeIfAbsent(r.get("source").asString(), k -> new HashMap<>())
                .put(r.get("scope").asString(), r));
        int added = 0;
        for (Map.Entry<String, Map<String, Record>> entry : bySource.entrySet()) {
            String source = entry.getKey();
            Map<String, Record> scopes = entry.getValue();
            // Every account below one scope shares that scope's evidence list.
            Map<String, List<Evidence>> evidence = new HashMap<>();
            Set<String> seen = new HashSet<>();
            stepGraph.addVertex(source);
            for (String scope : scopes.keySet()) {
                for (String account : accountsBelow.getOrDefault(scope, List.of())) {
                    if (!seen.add(account) || account.equals(source)) {
                        continue;
                    }
                    List<String> ancestors = ancestorsOf.get(account);
                    String nearest = ancestors.stream().filter(scopes::containsKey).findFirst().orElseThrow();
                    Record step = scopes.get(nearest);
                    if (step.get("exceptScopes").asList(v -> v.asString()).stream().anyMatch(ancestors::contains)
                            || hasTechniqueStep(source, account)) {
                        continue;
                    }
                    List<Evidence> shared = evidence.computeIfAbsent(nearest,
                            k -> new StoredEvidence(step.get("evidence").asString("[]")));
                    addTechniqueStep(new Step(source, account, step.get("kind").asString(),
                            step.get("technique").asString(null), step.get("conditional").asBoolean(false), shared));
                    added++;
                }
            }
        }
        log.info("Expanded {} scope-wide GCP steps into {} steps to service accounts", records.size(), added);
    }

    private boolean hasTechniqueStep(String source, String target) {
        return lastTechniqueStep(source, target) != null;
    }

    /** Returns the escalation step from source to target that the step graph lists last, or null. */
    private Step lastTechniqueStep(String source, String target) {
        Map<String, Step> bySource = techniqueSteps.get(source);
        return bySource == null ? null : bySource.get(target);
    }

    /** Adds a step between vertices already in the step graph. A step with a technique becomes its pair's last one. */
    private void addTechniqueStep(Step step) {
        stepGraph.addEdge(step.source(), step.target(), step);
        if (step.technique() != null) {
            techniqueSteps.computeIfAbsent(step.source(), k -> new HashMap<>()).put(step.target(), step);
        }
    }

    private void addEscalationStep(Record record) {
        String source = record.get("source").asString();
        String target = record.get("target").asString();
        if (source.equals(target)) {
            // A step to oneself gains nothing on a path; the administrator mark carries self-escalation.
            return;
        }
        stepGraph.addVertex(source);
        stepGraph.addVertex(target);
        addTechniqueStep(new Step(source, target, record.get("kind").asString(), record.get("technique").asString(null),
                record.get("conditional").asBoolean(false), new StoredEvidence(record.get("evidence").asString("[]"))));
    }

    static List<Evidence> readEvidence(String json) {
        try {
            return PolicyDocuments.JSON.readValue(json, EVIDENCE_LIST);
        } catch (JsonProcessingException e) {
            // Written by this program, so unreadable evidence means another tool changed the graph.
            log.warn("Unreadable evidence property left out: {}", e.getOriginalMessage());
            return List.of();
        }
    }

    /**
     * Returns the CAN_ACCESS edges from {@code principalId} to resources: its own, one to each member of each AWS
     * resource set it has an edge to, and those of each GCP convenience member that includes it (INCLUDED_IN), the
     * last two only to resources it has no edge of its own to. The GCP analysis gives a
     * holder its own edge wherever the member's would not be all of its access, so at most one edge per resource
     * results. A convenience member itself has none.
     */
    public List<ResourceAccess> resourceAccess(String principalId) {
        List<ResourceAccess> own = resourceAccess.getOrDefault(principalId, List.of());
        List<String> sets = memberSetsOf.getOrDefault(principalId, List.of());
        if (sets.isEmpty() && !resourceSets.reaches(principalId)) {
            return own;
        }
        Set<String> reached = new HashSet<>();
        own.forEach(access -> reached.add(access.resource()));
        List<ResourceAccess> all = new ArrayList<>(own);
        resourceSets.expand(principalId, reached, all, member -> {
            ResourceNode resource = resources.get(member);
            return resource == null ? null : policies.get(resource.policyId());
        });
        for (String set : sets) {
            for (ResourceAccess access : memberSetAccess.getOrDefault(set, List.of())) {
                if (reached.add(access.resource())) {
                    all.add(new ResourceAccess(principalId, access.resource(), access.accessLevels(), access.actionCount(),
                            access.conditional(), access.evidence()));
                }
            }
        }
        return all;
    }

    /** Returns the identity policies and boundary that apply to a user or role; group policies count for their members. */
    public PolicySet policySet(String principalId) {
        List<GrantingPolicy> granting = new ArrayList<>();
        for (String policyId : attachedPolicies.getOrDefault(principalId, List.of())) {
            Policy policy = policies.get(policyId);
            if (policy != null) {
                granting.add(new GrantingPolicy(policy, null));
            }
        }
        for (String group : groupsOfUser.getOrDefault(principalId, List.of())) {
            for (String policyId : attachedPolicies.getOrDefault(group, List.of())) {
                Policy policy = policies.get(policyId);
                if (policy != null) {
                    granting.add(new GrantingPolicy(policy, group));
                }
            }
        }
        String boundaryId = boundaries.get(principalId);
        Policy boundary = boundaryId == null ? null : policies.get(boundaryId);
        if (boundary != null) {
            boundary = boundary.withKind("boundary");
        }
        return new PolicySet(granting, boundary);
    }

    public Map<String, PrincipalNode> principals() {
        return principals;
    }

    public PrincipalNode principal(String id) {
        return principals.get(id);
    }

    public List<String> groupsOf(String userId) {
        return groupsOfUser.getOrDefault(userId, List.of());
    }

    public Graph<String, AssumeEdge> assumeGraph() {
        return assumeGraph;
    }

    /** Returns the CAN_ASSUME, CAN_ESCALATE and CAN_IMPERSONATE steps between principals, the graph that path search walks. */
    public Graph<String, Step> stepGraph() {
        return stepGraph;
    }

    /**
     * Returns the administrator mark of a principal: {@link #ADMIN_YES} when its own policies, or a technique it
     * can use on itself, give it every action; {@link #ADMIN_CONDITIONAL} when that depends on a condition or on
     * a resource the export does not show; null otherwise or when the graph has no marks.
     */
    public String adminMark(String principalId) {
        PrincipalNode node = principals.get(principalId);
        Object mark = node == null ? null : node.properties().get("adminEquivalent");
        return mark == null ? null : mark.toString();
    }

    /** Returns the policy with {@code id} as parsed from the graph, or null. */
    public Policy policy(String id) {
        return policies.get(id);
    }

    /**
     * Tells whether the bundle has an RCP at some level from the organization root down to {@code account}, that is
     * whether {@link #organizationPolicies organizationPolicies(account, false)} is not empty, without building it.
     */
    public boolean hasRcps(String account) {
        List<String> path = organizationPath.get(account);
        if (path == null || rcpsByTarget.isEmpty()) {
            return false;
        }
        for (String target : path) {
            if (!rcpsByTarget.getOrDefault(target, List.of()).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Returns the ids of the policies of {@code type} (SCP or RCP) at each level from the root down to the account. */
    public List<List<String>> organizationPolicies(String account, boolean serviceControl) {
        List<String> path = organizationPath.get(account);
        if (path == null) {
            return List.of();
        }
        Map<String, List<String>> byTarget = serviceControl ? scpsByTarget : rcpsByTarget;
        if (!serviceControl && rcpsByTarget.isEmpty()) {
            // An organization without any RCP in the bundle has only the implicit RCPFullAWSAccess.
            return List.of();
        }
        List<List<String>> levels = new ArrayList<>();
        for (String target : path) {
            List<String> attached = byTarget.getOrDefault(target, List.of());
            // AWS keeps at least one SCP on every root, OU and account, so a level with none in the bundle means
            // the bundle lacks that target's attachments. It is left out, which errs towards more access.
            if (!attached.isEmpty()) {
                levels.add(attached);
            }
        }
        return levels;
    }

    public String managementAccount() {
        return managementAccount;
    }

    public ResourceNode resource(String arn) {
        return resources.get(arn);
    }

    /** Returns the resources that have a resource-based policy, by ARN. */
    public Map<String, ResourceNode> resources() {
        return resources;
    }

    /** Tells whether the role is in an instance profile, so that EC2 instances can run as it. */
    public boolean hasInstanceProfile(String roleId) {
        return rolesWithInstanceProfile.contains(roleId);
    }

    public Map<String, String> invalidPolicies() {
        return invalidPolicies;
    }
}
