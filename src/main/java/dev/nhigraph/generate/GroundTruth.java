package dev.nhigraph.generate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planted ground truth of a synthetic organisation, written as expected.json beside the bundle.
 *
 * <p>Policies are named by the ids nhigraph gives them in evidence: a managed policy or SCP by its ARN, an inline
 * policy as OWNER_ARN#inline/NAME, a trust policy as ROLE_ARN#trust. docs/synthetic-organisations.md describes
 * the schema.
 */
public final class GroundTruth {

    /** The schema version of expected.json; a change of meaning gets a new number. */
    public static final String SCHEMA = "nhigraph-synthetic-expected/1";

    /** One statement: the policy id as nhigraph names it, and the statement's Sid (null when it has none). */
    public record StatementRef(String policy, String sid) {
    }

    /** One CAN_ASSUME step, allowed only through the named trust statement and identity statement together. */
    public record Hop(String source, String target, StatementRef trust, StatementRef identity) {
    }

    /** A path of {@code length} CAN_ASSUME steps from {@code start} to the administrator role {@code admin}. */
    public record Chain(String id, String start, String admin, int length, List<Hop> hops) {
    }

    /**
     * A pair that looks like a hop but has no CAN_ASSUME edge. {@code identity} is the source's look-alike
     * statement, or null; {@code blockedBy} is the statement or policy that blocks it, or null when nothing
     * allows it.
     */
    public record Decoy(String id, String kind, String source, String target, StatementRef trust, StatementRef identity,
                        StatementRef blockedBy, String decision, String denial, String reason) {
    }

    /** One access decision to check with {@code nhigraph can}; {@code denial} is explicit or implicit for DENIED. */
    public record Query(String id, String principal, String action, String resource, Map<String, List<String>> context,
                        String decision, String denial, String reason) {
    }

    final List<Chain> chains = new ArrayList<>();
    final List<Decoy> decoys = new ArrayList<>();
    final List<Query> queries = new ArrayList<>();

    public List<Chain> chains() {
        return chains;
    }

    public List<Decoy> decoys() {
        return decoys;
    }

    public List<Query> queries() {
        return queries;
    }

    void addQuery(String principal, String action, String resource, Map<String, List<String>> context, String decision,
                  String denial, String reason) {
        String id = String.format("q-%03d", queries.size() + 1);
        queries.add(new Query(id, principal, action, resource, context, decision, denial, reason));
    }

    /** Returns the content of expected.json. */
    ObjectNode toJson(Tier tier, long seed, ObjectNode counts) {
        ObjectNode root = PolicyStatement.NODES.objectNode();
        root.put("schema", SCHEMA);
        root.put("tier", tier.name());
        root.put("seed", seed);
        root.put("bundle", SyntheticOrganization.BUNDLE_FOLDER);
        root.set("counts", counts);

        ArrayNode chainList = root.putArray("chains");
        for (Chain chain : chains) {
            ObjectNode node = chainList.addObject();
            node.put("id", chain.id());
            node.put("length", chain.length());
            node.put("start", chain.start());
            node.put("admin", chain.admin());
            ArrayNode hops = node.putArray("hops");
            for (Hop hop : chain.hops()) {
                ObjectNode hopNode = hops.addObject();
                hopNode.put("source", hop.source());
                hopNode.put("target", hop.target());
                hopNode.set("trust", ref(hop.trust()));
                hopNode.set("identity", ref(hop.identity()));
            }
        }

        ArrayNode decoyList = root.putArray("decoys");
        for (Decoy decoy : decoys) {
            ObjectNode node = decoyList.addObject();
            node.put("id", decoy.id());
            node.put("kind", decoy.kind());
            node.put("source", decoy.source());
            node.put("target", decoy.target());
            node.set("trust", ref(decoy.trust()));
            node.set("identity", ref(decoy.identity()));
            node.set("blockedBy", ref(decoy.blockedBy()));
            node.put("decision", decoy.decision());
            node.put("denial", decoy.denial());
            node.put("reason", decoy.reason());
        }

        ArrayNode queryList = root.putArray("queries");
        for (Query query : queries) {
            ObjectNode node = queryList.addObject();
            node.put("id", query.id());
            node.put("principal", query.principal());
            node.put("action", query.action());
            node.put("resource", query.resource());
            ObjectNode context = node.putObject("context");
            query.context().forEach((key, values) -> {
                ArrayNode list = context.putArray(key);
                values.forEach(list::add);
            });
            node.put("decision", query.decision());
            node.put("denial", query.denial());
            node.put("reason", query.reason());
        }
        return root;
    }

    private static com.fasterxml.jackson.databind.JsonNode ref(StatementRef ref) {
        if (ref == null) {
            return PolicyStatement.NODES.nullNode();
        }
        ObjectNode node = PolicyStatement.NODES.objectNode();
        node.put("policy", ref.policy());
        node.put("sid", ref.sid());
        return node;
    }

    /** Returns a context map with one value per key, in the order given: key, value, key, value. */
    static Map<String, List<String>> context(String... keysAndValues) {
        Map<String, List<String>> context = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            context.put(keysAndValues[i], List.of(keysAndValues[i + 1]));
        }
        return context;
    }
}
