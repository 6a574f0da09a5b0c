package dev.nhigraph.findings;

import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.Policy;
import dev.nhigraph.policy.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.exceptions.Neo4jException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the hygiene and escalation rules: each rule's read-only Cypher, or for a check that needs a policy parsed or
 * the admin reachability search, a named Java check. A query returns one row per finding with the columns principal, principalKind, resource, detail and facts.
 *
 * <p>Each query runs in its own read transaction with a time limit, and returns at most {@code maxFindingsPerRule}
 * rows (it receives one more as {@code $limit}, so that a cut list can be distinguished from a full one). A query that
 * fails, for example on a date that Neo4j cannot parse, fails its rule only; the report lists the error.
 */
public final class HygieneChecks {

    /** The names of the Java checks that a rule file may give as {@code check.builtin}. */
    public static final List<String> BUILTINS = List.of("public-resource-policy", "escalation-to-admin",
            "active-key-reaches-admin");

    /**
     * The values that hygiene queries read as parameters.
     *
     * @param now           the time that ages are measured to, as an ISO-8601 instant ({@code $now})
     * @param rotationDays  the key rotation period in days ({@code $rotationDays})
     * @param unusedDays    the days without use after which a role counts as unused ({@code $unusedDays})
     * @param ownerTagKeys  tag keys, in lower case, that name an identity's owner ({@code $ownerTagKeys})
     */
    public record Settings(String now, int rotationDays, int unusedDays, List<String> ownerTagKeys) {
    }

    private static final Logger log = LoggerFactory.getLogger(HygieneChecks.class);

    private final GraphService graph;
    private final GraphStore store;

    public HygieneChecks(GraphService graph) {
        this.graph = graph;
        this.store = graph.store();
    }

    /** Runs one hygiene rule and returns its findings, with why the list is incomplete when it is. */
    public RuleOutcome run(Rule rule, Settings settings, int maxFindingsPerRule, Duration timeLimit) {
        List<Finding> findings;
        try {
            findings = rule.builtin() != null ? runBuiltin(rule, timeLimit) : runCypher(rule, settings, maxFindingsPerRule, timeLimit);
        } catch (EscalationFindings.TimeLimitReached e) {
            return new RuleOutcome(e.found, "time limit of " + timeLimit.toSeconds() + " s reached");
        } catch (Neo4jException e) {
            log.warn("Hygiene rule {} failed: {}", rule.id(), e.getMessage());
            return new RuleOutcome(List.of(), "failed: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (findings.size() > maxFindingsPerRule) {
            return new RuleOutcome(findings.subList(0, maxFindingsPerRule),
                    "result cap of " + maxFindingsPerRule + " findings reached");
        }
        return new RuleOutcome(findings, null);
    }

    private List<Finding> runCypher(Rule rule, Settings settings, int maxFindingsPerRule, Duration timeLimit) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("now", settings.now());
        parameters.put("rotationDays", settings.rotationDays());
        parameters.put("unusedDays", settings.unusedDays());
        parameters.put("ownerTagKeys", settings.ownerTagKeys());
        parameters.put("limit", maxFindingsPerRule + 1);
        try (Session session = store.session(SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build())) {
            return session.executeRead(tx -> tx.run(rule.cypher(), parameters).list(row -> finding(rule, row)),
                    TransactionConfig.builder().withTimeout(timeLimit).build());
        }
    }

    private static Finding finding(Rule rule, Record row) {
        Map<String, Object> facts = row.get("facts").isNull() ? null : new LinkedHashMap<>(row.get("facts").asMap());
        if (facts != null) {
            facts.values().removeIf(value -> value == null);
        }
        return Finding.of(rule, row.get("principal").asString(), row.get("principalKind").asString(null),
                row.get("resource").isNull() ? null : String.valueOf(row.get("resource").asObject()),
                row.get("detail").asString(null), false, null, facts);
    }

    private List<Finding> runBuiltin(Rule rule, Duration timeLimit) {
        if ("escalation-to-admin".equals(rule.builtin())) {
            return EscalationFindings.find(rule, graph, System.currentTimeMillis() + timeLimit.toMillis());
        }
        if ("active-key-reaches-admin".equals(rule.builtin())) {
            return EscalationFindings.findKeyUsers(rule, graph, activeKeysByUser(timeLimit),
                    System.currentTimeMillis() + timeLimit.toMillis());
        }
        return publicResourcePolicies(rule, timeLimit);
    }

    /** Returns the ids of the active access keys of each AWS user, by user id. */
    private Map<String, List<String>> activeKeysByUser(Duration timeLimit) {
        try (Session session = store.session(SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build())) {
            return session.executeRead(tx -> {
                Map<String, List<String>> keys = new LinkedHashMap<>();
                tx.run("""
                        MATCH (u:AwsUser)-[:HAS_KEY]->(k:AwsAccessKey {status: 'Active'})
                        WITH u, k ORDER BY k.id
                        RETURN u.id AS user, collect(k.id) AS keys ORDER BY user""")
                        .forEachRemaining(row -> keys.put(row.get("user").asString(), row.get("keys").asList(v -> v.asString())));
                return keys;
            }, TransactionConfig.builder().withTimeout(timeLimit).build());
        }
    }

    /**
     * Finds resource policies with an Allow statement for Principal "*" (or NotPrincipal, which is everyone but the
     * names listed) and no Condition. A statement with a condition such as aws:PrincipalOrgID is left out, because
     * the condition usually is what limits it.
     */
    private List<Finding> publicResourcePolicies(Rule rule, Duration timeLimit) {
        List<Record> rows;
        try (Session session = store.session(SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build())) {
            rows = session.executeRead(tx -> tx.run("""
                    MATCH (r:AwsResource)-[:HAS_POLICY]->(p:AwsPolicy)
                    WHERE p.document IS NOT NULL
                    RETURN r.id AS resource, r.service AS service, p.id AS policy, p.name AS name, p.document AS document
                    ORDER BY resource, policy""").list(), TransactionConfig.builder().withTimeout(timeLimit).build());
        }
        List<Finding> findings = new ArrayList<>();
        for (Record row : rows) {
            Policy policy;
            try {
                policy = Policy.parse(row.get("policy").asString(), row.get("name").asString(null), "resource",
                        row.get("document").asString());
            } catch (IllegalArgumentException e) {
                // The load validated every document; one that fails here was written by another tool.
                log.warn("Resource policy {} left out of {}: {}", row.get("policy").asString(), rule.id(), e.getMessage());
                continue;
            }
            for (Statement statement : policy.statements()) {
                if (statement.allow() && !statement.conditional() && (statement.notPrincipal() || namesAnyone(statement))) {
                    Evidence evidence = Evidence.of(policy, null, statement, null, "allows anyone, with no condition");
                    Map<String, Object> facts = new LinkedHashMap<>();
                    facts.put("service", row.get("service").asString(null));
                    facts.put("policy", policy.id());
                    facts.put("statement", statement.index());
                    facts.put("actions", evidence.actions());
                    findings.add(Finding.of(rule, "*", "AnyPrincipal", row.get("resource").asString(),
                            "statement " + statement.index() + " of " + policy.name() + " allows "
                                    + String.join(", ", evidence.actions()) + " to anyone",
                            false, null, facts));
                }
            }
        }
        return findings;
    }

    private static boolean namesAnyone(Statement statement) {
        return statement.principals().values().stream().anyMatch(values -> values.contains("*"));
    }
}
