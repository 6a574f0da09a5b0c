package dev.nhigraph.cli;

import dev.nhigraph.analysis.BlastRadius;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.db.Messages;
import dev.nhigraph.policy.ActionCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "blast-radius", mixinStandardHelpOptions = true,
        description = {"Show what an identity can reach: the principals it can become through sts:AssumeRole,"
                + " privilege-escalation techniques and GCP service-account impersonation, transitively, and what each"
                + " may do: AWS actions by service and access level; GCP scopes administered, resources, and keys.",
                "With PATHs, loads them into a throw-away database first; without, reads the graph of --data-dir or --neo4j-uri."})
final class BlastRadiusCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The principal: ARN, unique id (AIDA..., AROA...), exact"
            + " name or access key id (AKIA...), or a GCP member such as serviceAccount:EMAIL.")
    String id;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "PATH", description = "Export files or folders to load first.")
    List<Path> paths = List.of();

    @Option(names = {"--max-depth", "--depth"}, paramLabel = "N", defaultValue = "" + BlastRadius.DEFAULT_MAX_DEPTH,
            description = "Maximum number of CAN_ASSUME, CAN_ESCALATE and CAN_IMPERSONATE steps, 0.." + BlastRadius.MAX_DEPTH_LIMIT + " (default: ${DEFAULT-VALUE}).")
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
            GraphCommands.printAnswer(graph, id, result, json, BlastRadiusCommand::text);
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
        BlastRadius.Summary summary = result.summary();
        BlastRadius.Bounds bounds = result.bounds();
        out.append("Blast radius of ").append(result.root()).append('\n');
        out.append("  ").append(Messages.count(summary.principals(), "principal", "principals")).append(" within ")
                .append(Messages.count(bounds.maxDepth(), "step", "steps"))
                .append(bounds.truncated() ? " (truncated: " + bounds.reason() + ")" : " (complete)")
                .append(Boolean.TRUE.equals(summary.admin()) ? "; includes an administrator" : "").append('\n');
        if (!"NO".equals(summary.adminEquivalent())) {
            out.append("  reaches an administrator by its own policies or bindings, or by escalation: ")
                    .append(summary.adminEquivalent()).append('\n');
        }
        if (summary.actionsByAccessLevel() != null) {
            out.append("  actions by access level, under the current policies of the principals reached: ")
                    .append(summary.actionsByAccessLevel()).append('\n');
            // A principal that can make itself an administrator reaches no other node by doing so, so the counts
            // above miss what the escalation gives. The line below prevents a small count from reading as harmless.
            if (!"NO".equals(summary.adminEquivalent()) && !Boolean.TRUE.equals(summary.admin())) {
                out.append("  once it escalates, every action on every resource of the administrator's account, which"
                        + " these counts leave out\n");
            }
        }
        if (summary.serviceAccounts() != null) {
            appendGcpSummary(out, summary);
        }

        Map<String, String> reachedFrom = reachedFrom(result);
        Map<String, List<BlastRadius.Edge>> gcpAccess = new HashMap<>();
        for (BlastRadius.Edge edge : result.edges()) {
            if (edge.type().equals("CAN_ACCESS") && edge.target().startsWith("//")) {
                gcpAccess.computeIfAbsent(edge.source(), id -> new ArrayList<>()).add(edge);
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
            appendGcpNode(out, node, gcpAccess.getOrDefault(node.id(), List.of()));
        }
        boolean gcp = summary.serviceAccounts() != null;
        out.append(gcp ? "\nThe policy statements and GCP bindings" : "\nThe statements")
                .append(" behind every step are in --json (the evidence of each edge).\n");
        if (gcp) {
            // GCP access edges come only from a resource's own allow policy, so a reader must not take the list as all.
            out.append("Roles granted on a project, folder or organization reach every resource below it and are not"
                    + " listed per resource; check one with `" + Invocation.command() + " can MEMBER PERMISSION RESOURCE`.\n");
        }
        return out.toString();
    }

    /** Appends the GCP counts: accounts reached, scopes administered, resources and keys. */
    private static void appendGcpSummary(StringBuilder out, BlastRadius.Summary summary) {
        out.append("  service accounts it can impersonate or act as: ").append(summary.serviceAccounts()).append('\n');
        if (!summary.adminScopes().isEmpty()) {
            out.append("  scopes administered in the blast radius: ").append(String.join(", ", summary.adminScopes().stream()
                    .map(PathsCommand::shortName).toList())).append('\n');
        }
        out.append("  GCP resources it can access through their own allow policies: ").append(summary.gcpResources());
        if (!summary.resourcesByAccessLevel().isEmpty()) {
            out.append(" (by access level: ").append(String.join(", ", summary.resourcesByAccessLevel().entrySet().stream()
                    .map(level -> level.getKey() + " " + level.getValue()).toList())).append(')');
        }
        out.append('\n');
        out.append("  user-managed keys of the service accounts reached: ").append(summary.userManagedKeys()).append('\n');
    }

    /** Appends what a GCP principal administers, its user-managed keys and the resources it can access. */
    private static void appendGcpNode(StringBuilder out, BlastRadius.Node node, List<BlastRadius.Edge> access) {
        Map<String, Object> properties = node.properties() == null ? Map.of() : node.properties();
        if (properties.get("adminScopes") instanceof List<?> scopes && !scopes.isEmpty()) {
            out.append("      administers ").append(String.join(", ", scopes.stream()
                    .map(scope -> PathsCommand.shortName(scope.toString())).toList())).append('\n');
        }
        if (properties.get("userManagedKeys") instanceof Number keys && keys.intValue() > 0) {
            out.append("      ").append(Messages.count(keys.intValue(), "user-managed key", "user-managed keys"))
                    .append(" enabled\n");
        }
        for (BlastRadius.Edge edge : access) {
            out.append("      ").append(edge.target()).append(": ").append(String.join(", ", edge.accessLevels()))
                    .append(" (").append(Messages.count(edge.actionCount(), "permission", "permissions")).append(')')
                    .append(edge.conditional() ? ", conditional" : "").append('\n');
        }
    }

    /**
     * Returns, for each principal reached, the step that first reached it from a principal one step nearer the root,
     * in words.
     */
    private static Map<String, String> reachedFrom(BlastRadius.Result result) {
        Map<String, Integer> depths = new HashMap<>();
        result.nodes().stream().filter(node -> node.depth() != null).forEach(node -> depths.put(node.id(), node.depth()));
        Map<String, String> reachedFrom = new HashMap<>();
        for (BlastRadius.Edge edge : result.edges()) {
            Integer from = depths.get(edge.source());
            Integer to = depths.get(edge.target());
            if (from == null || to == null || to != from + 1 || reachedFrom.containsKey(edge.target())) {
                continue;
            }
            String technique = edge.technique() == null ? "" : " by " + edge.technique()
                    + (PathsCommand.techniqueName(edge.technique()) == null ? "" : " (" + PathsCommand.techniqueName(edge.technique()) + ")");
            String conditional = edge.conditional() ? ", conditional" : "";
            switch (edge.type()) {
                case "CAN_ASSUME" -> reachedFrom.put(edge.target(), "assumed from " + edge.source() + conditional);
                case "CAN_ESCALATE" -> reachedFrom.put(edge.target(), "reached from " + edge.source() + technique + conditional);
                case "CAN_IMPERSONATE" -> reachedFrom.put(edge.target(), "impersonated from " + edge.source() + technique + conditional);
                default -> {
                }
            }
        }
        return reachedFrom;
    }
}
