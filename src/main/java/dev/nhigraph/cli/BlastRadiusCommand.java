package dev.nhigraph.cli;

import dev.nhigraph.analysis.BlastRadius;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.db.Messages;
import dev.nhigraph.policy.ActionCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "blast-radius", mixinStandardHelpOptions = true,
        description = {"Show what an identity can reach: the principals it can become through sts:AssumeRole and"
                + " privilege-escalation techniques, transitively, and the actions each may perform, by service and access level.",
                "With PATHs, loads them into a throw-away database first; without, reads the graph of --data-dir or --neo4j-uri."})
final class BlastRadiusCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The principal: ARN, unique id (AIDA..., AROA...) or exact name.")
    String id;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "PATH", description = "Export files or folders to load first.")
    List<Path> paths = List.of();

    @Option(names = "--max-depth", paramLabel = "N", defaultValue = "" + BlastRadius.DEFAULT_MAX_DEPTH,
            description = "Maximum number of CAN_ASSUME and CAN_ESCALATE steps, 0.." + BlastRadius.MAX_DEPTH_LIMIT + " (default: ${DEFAULT-VALUE}).")
    int maxDepth;

    @Option(names = "--json", description = "Print the whole result (nodes, edges, evidence) as JSON.")
    boolean json;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        Validation.depth(maxDepth);
        try (Database db = GraphCommands.open(database, paths, "blast-radius")) {
            GraphService graph = new GraphService(db.store(), ActionCatalog.loadDefault());
            String resolved = GraphCommands.principal(graph, id);
            BlastRadius.Result result = graph.blastRadius(resolved, maxDepth);
            System.out.println(json ? Output.json(result) : text(result));
            return 0;
        }
    }

    /** Names a principal that can make itself an administrator, as the escalation analysis marked it. */
    private static String adminMark(BlastRadius.Node node) {
        if (node.adminEquivalent() == null) {
            return "";
        }
        return "YES".equals(node.adminEquivalent()) ? "  ADMIN-EQUIVALENT" : "  ADMIN-EQUIVALENT (conditional)";
    }

    private static String text(BlastRadius.Result result) {
        StringBuilder out = new StringBuilder();
        BlastRadius.Bounds bounds = result.bounds();
        out.append("Blast radius of ").append(result.root()).append('\n');
        out.append("  ").append(Messages.count(result.summary().principals(), "principal", "principals")).append(" within ")
                .append(Messages.count(bounds.maxDepth(), "step", "steps"))
                .append(bounds.truncated() ? " (truncated: " + bounds.reason() + ")" : " (complete)")
                .append(result.summary().admin() ? "; includes an administrator" : "").append('\n');
        if (!"NO".equals(result.summary().adminEquivalent())) {
            out.append("  reaches an administrator by its own policies or by escalation: ")
                    .append(result.summary().adminEquivalent()).append('\n');
        }
        out.append("  actions by access level: ").append(result.summary().actionsByAccessLevel()).append('\n');

        Map<String, String> reachedFrom = new java.util.HashMap<>();
        for (BlastRadius.Edge edge : result.edges()) {
            if (edge.type().equals("CAN_ASSUME")) {
                reachedFrom.putIfAbsent(edge.target(), "assumed from " + edge.source());
            } else if (edge.type().equals("CAN_ESCALATE")) {
                reachedFrom.putIfAbsent(edge.target(), "reached from " + edge.source() + " by " + edge.technique());
            }
        }
        for (BlastRadius.Node node : result.nodes()) {
            if (node.depth() == null) {
                continue;
            }
            out.append('\n').append("  [").append(node.depth()).append("] ").append(node.kind()).append(' ').append(node.id())
                    .append(Boolean.TRUE.equals(node.admin()) ? "  ADMIN" : adminMark(node)).append('\n');
            if (node.depth() > 0 && reachedFrom.containsKey(node.id())) {
                out.append("      ").append(reachedFrom.get(node.id())).append('\n');
            }
            if (Boolean.TRUE.equals(node.admin())) {
                out.append("      every action on every resource\n");
            } else if (node.access() != null) {
                for (Map.Entry<String, Map<String, Integer>> service : node.access().entrySet()) {
                    out.append("      ").append(service.getKey()).append(": ").append(service.getValue()).append('\n');
                }
            }
        }
        out.append("\nThe statements behind every step are in --json (the evidence of each edge).\n");
        return out.toString();
    }
}
