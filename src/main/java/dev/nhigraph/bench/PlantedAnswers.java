package dev.nhigraph.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.analysis.AdminReachability;
import dev.nhigraph.analysis.AwsProjection;
import dev.nhigraph.analysis.AwsProjection.AssumeEdge;
import dev.nhigraph.analysis.BlastRadius;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.PathAnswers;
import dev.nhigraph.analysis.PathSearch;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.eval.EvaluationResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The check of a graph against the ground truth that the generator planted (expected.json), with one check per
 * fact so that the result is a percentage and each failure names its fact:
 *
 * <ul>
 *   <li>hop: each hop of a chain has one unconditional CAN_ASSUME edge whose evidence cites the hop's trust and
 *       identity statements;</li>
 *   <li>chain-blast-radius: the blast radius of the chain's start reaches its admin role at the chain's length;</li>
 *   <li>chain-admin: admin reachability counts the admin role as an administrator, and the start reaches an
 *       administrator in at most the chain's length over unconditional edges;</li>
 *   <li>decoy: no CAN_ASSUME edge from the decoy's source to its target;</li>
 *   <li>query: {@code can} returns the expected decision and denial;</li>
 *   <li>gcp-path: a planted GCP path reaches an administrator, or its service account, without a condition;</li>
 *   <li>gcp-decoy: the principal of a planted GCP decoy reaches no administrator.</li>
 * </ul>
 */
final class PlantedAnswers {

    /** The outcome: how many checks of each kind ran and passed, and a sentence for each failure. */
    record Outcome(int checks, int passed, double percent, Map<String, Integer> checksByKind, List<String> failures) {

        boolean allPassed() {
            return passed == checks;
        }
    }

    private final JsonNode expected;
    private final GraphService graph;
    private final AwsProjection projection;
    private final AdminReachability reachability;
    private final Map<String, Integer> checksByKind = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private int checks;

    private PlantedAnswers(JsonNode expected, GraphService graph, AwsProjection projection, AdminReachability reachability) {
        this.expected = expected;
        this.graph = graph;
        this.projection = projection;
        this.reachability = reachability;
    }

    /** Checks every chain, decoy and query of {@code expected} against the loaded graph. */
    static Outcome check(JsonNode expected, GraphService graph, AwsProjection projection, AdminReachability reachability) {
        PlantedAnswers answers = new PlantedAnswers(expected, graph, projection, reachability);
        answers.checkChains();
        answers.checkDecoys();
        answers.checkQueries();
        answers.checkGcp();
        return answers.outcome();
    }

    /**
     * Checks the planted GCP paths and decoys: a path to "admin of projects/P" must reach an administrator without a
     * condition, a path to a service account must reach it, and a decoy's principal must reach no administrator.
     */
    private void checkGcp() {
        JsonNode gcp = expected.path("gcp");
        for (JsonNode path : gcp.path("paths")) {
            String id = path.path("id").asText();
            String from = path.path("from").asText();
            String to = path.path("to").asText();
            if (to.startsWith("admin of ")) {
                PathSearch.Reach reach = projection.principal(from) == null ? PathSearch.Reach.NO : reachability.reach(from);
                record("gcp-path", reach == PathSearch.Reach.YES ? null
                        : id + ": " + from + " reaches an administrator " + reach + ", expected YES (" + to + ")");
                continue;
            }
            String failure;
            try {
                PathAnswers.Answer answer = graph.pathAnswers().paths(from, to, PathSearch.DEFAULT_MAX_DEPTH, 1);
                failure = "YES".equals(answer.reachable()) ? null
                        : id + ": " + from + " reaches " + to + " " + answer.reachable() + ", expected YES";
            } catch (RuntimeException e) {
                failure = id + ": paths from " + from + " to " + to + " failed with " + e.getMessage();
            }
            record("gcp-path", failure);
        }
        for (JsonNode decoy : gcp.path("decoys")) {
            String from = decoy.path("from").asText();
            PathSearch.Reach reach = projection.principal(from) == null ? PathSearch.Reach.NO : reachability.reach(from);
            record("gcp-decoy", reach == PathSearch.Reach.NO ? null : decoy.path("id").asText() + " ("
                    + decoy.path("kind").asText() + "): " + from + " reaches an administrator " + reach + ", expected NO");
        }
    }

    private void checkChains() {
        for (JsonNode chain : expected.path("chains")) {
            String id = chain.path("id").asText();
            for (JsonNode hop : chain.path("hops")) {
                record("hop", hopFailure(id, hop));
            }
            record("chain-blast-radius", blastRadiusFailure(chain));
            record("chain-admin", adminFailure(chain));
        }
    }

    private String hopFailure(String chainId, JsonNode hop) {
        String source = hop.path("source").asText();
        String target = hop.path("target").asText();
        String name = chainId + " hop " + source + " -> " + target;
        AssumeEdge edge = projection.assumeGraph().containsVertex(source) && projection.assumeGraph().containsVertex(target)
                ? projection.assumeGraph().getEdge(source, target) : null;
        if (edge == null) {
            return name + ": no CAN_ASSUME edge";
        }
        if (edge.conditional()) {
            return name + ": the CAN_ASSUME edge is conditional, expected unconditional";
        }
        for (String side : List.of("trust", "identity")) {
            JsonNode statement = hop.path(side);
            if (!cites(edge.evidence(), statement)) {
                return name + ": the evidence does not cite the " + side + " statement " + statement.path("policy").asText()
                        + " Sid " + statement.path("sid").asText();
            }
        }
        return null;
    }

    private static boolean cites(List<Evidence> evidence, JsonNode statement) {
        for (Evidence item : evidence) {
            if (statement.path("policy").asText().equals(item.policy()) && statement.path("sid").asText().equals(item.sid())) {
                return true;
            }
        }
        return false;
    }

    private String blastRadiusFailure(JsonNode chain) {
        String id = chain.path("id").asText();
        String start = chain.path("start").asText();
        String admin = chain.path("admin").asText();
        int length = chain.path("length").asInt();
        BlastRadius.Result radius = graph.blastRadius(start, length);
        Integer depth = radius.nodes().stream().filter(node -> node.id().equals(admin)).map(BlastRadius.Node::depth)
                .filter(Objects::nonNull).findFirst().orElse(null);
        if (depth == null || depth != length) {
            return id + " blast radius of " + start + ": expected " + admin + " at depth " + length + ", found "
                    + (depth == null ? "it missing" : "depth " + depth);
        }
        return null;
    }

    private String adminFailure(JsonNode chain) {
        String id = chain.path("id").asText();
        String start = chain.path("start").asText();
        String admin = chain.path("admin").asText();
        int length = chain.path("length").asInt();
        if (!reachability.admins().contains(admin)) {
            return id + ": " + admin + " is not counted as an administrator";
        }
        dev.nhigraph.analysis.PathSearch.Path witness = reachability.witness(start);
        if (witness == null) {
            return id + ": " + start + " reaches no administrator, expected " + admin + " in " + length + " steps";
        }
        if (witness.conditional() || witness.length() > length) {
            return id + ": the witness of " + start + " has " + witness.length() + " steps"
                    + (witness.conditional() ? " with a conditional edge" : "") + ", expected at most " + length
                    + " unconditional steps";
        }
        return null;
    }

    private void checkDecoys() {
        for (JsonNode decoy : expected.path("decoys")) {
            String source = decoy.path("source").asText();
            String target = decoy.path("target").asText();
            boolean edge = projection.assumeGraph().containsVertex(source) && projection.assumeGraph().containsVertex(target)
                    && projection.assumeGraph().containsEdge(source, target);
            record("decoy", edge ? decoy.path("id").asText() + " (" + decoy.path("kind").asText() + "): unexpected CAN_ASSUME edge "
                    + source + " -> " + target : null);
        }
    }

    private void checkQueries() {
        for (JsonNode query : expected.path("queries")) {
            record("query", queryFailure(query));
        }
    }

    private String queryFailure(JsonNode query) {
        Map<String, List<String>> context = new LinkedHashMap<>();
        query.path("context").fields().forEachRemaining(entry -> {
            List<String> values = new ArrayList<>();
            entry.getValue().forEach(value -> values.add(value.asText()));
            context.put(entry.getKey(), values);
        });
        String name = query.path("id").asText() + " " + query.path("principal").asText() + " " + query.path("action").asText()
                + " " + query.path("resource").asText() + (context.isEmpty() ? "" : " " + context);
        EvaluationResult result;
        try {
            result = graph.can(query.path("principal").asText(), query.path("action").asText(),
                    query.path("resource").asText(), context);
        } catch (RuntimeException e) {
            return name + ": failed with " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        String expectedDecision = query.path("decision").asText();
        String expectedDenial = query.path("denial").isNull() ? null : query.path("denial").asText();
        if (!expectedDecision.equals(result.decision().name()) || !Objects.equals(expectedDenial, result.denial())) {
            return name + ": expected " + expectedDecision + (expectedDenial == null ? "" : " (" + expectedDenial + ")")
                    + ", got " + result.decision().name() + (result.denial() == null ? "" : " (" + result.denial() + ")")
                    + ": " + result.reason();
        }
        return null;
    }

    /** Counts one check of {@code kind}; {@code failure} is null when it passed. */
    private void record(String kind, String failure) {
        checks++;
        checksByKind.merge(kind, 1, Integer::sum);
        if (failure != null) {
            failures.add(failure);
        }
    }

    private Outcome outcome() {
        int passed = checks - failures.size();
        double percent = checks == 0 ? 0 : Math.round(passed * 10_000.0 / checks) / 100.0;
        return new Outcome(checks, passed, percent, checksByKind, List.copyOf(failures));
    }
}
