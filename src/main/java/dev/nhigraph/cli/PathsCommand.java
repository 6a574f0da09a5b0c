package dev.nhigraph.cli;

import dev.nhigraph.escalation.Technique;
import dev.nhigraph.escalation.TechniqueCatalog;
import dev.nhigraph.gcp.analysis.GcpTechnique;
import dev.nhigraph.gcp.analysis.GcpTechniqueCatalog;
import dev.nhigraph.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.analysis.AwsProjection;
import dev.nhigraph.analysis.EscalationAnalysis;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.PathAnswers;
import dev.nhigraph.analysis.PathSearch;
import dev.nhigraph.analysis.RevokePlan;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.policy.Evidence;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "paths", mixinStandardHelpOptions = true,
        description = {"Show the access paths from a principal to administrators, to another principal"
                + " or to a resource: every CAN_ASSUME, CAN_ESCALATE and CAN_IMPERSONATE step, with the policy"
                + " statements or GCP bindings behind it.",
                "Without --from, lists who can reach the --to target, nearest first.",
                "With --cut, shows what to revoke if the --from credential leaked: the fewest steps whose removal cuts"
                        + " every path to the --to target, and the keys of the principals on those paths.",
                "With PATHs, loads them into a throw-away database first; without, reads the graph of --data-dir or --neo4j-uri."})
final class PathsCommand implements Callable<Integer> {

    private static final String RESOURCE_MANAGER = "//cloudresourcemanager.googleapis.com/";
    private static final String IAM_POLICY = "#iam-policy";

    @Option(names = "--from", paramLabel = "ID", description = "The starting principal: ARN, unique id or exact name,"
            + " or a GCP member such as serviceAccount:EMAIL.")
    String from;

    @Option(names = "--to", paramLabel = "ID|admin", defaultValue = PathAnswers.ADMIN,
            description = "\"admin\" (an AWS principal allowed every action in its account, or a GCP principal that"
                    + " can set the IAM policy of an organization, folder or project), a principal, an AWS resource ARN"
                    + " or a GCP full resource name (default: ${DEFAULT-VALUE}).")
    String to;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Export files or folders to load first.")
    List<Path> paths = List.of();

    @Option(names = {"--max-depth", "--depth"}, paramLabel = "N", defaultValue = "" + PathSearch.DEFAULT_MAX_DEPTH,
            description = "Maximum number of steps in a path, 0.." + PathSearch.MAX_DEPTH_LIMIT + " (default: ${DEFAULT-VALUE}).")
    int maxDepth;

    @Option(names = "--max-paths", paramLabel = "N", defaultValue = "" + PathSearch.DEFAULT_MAX_PATHS,
            description = "Maximum number of paths, shortest first, 1.." + PathSearch.MAX_PATHS_LIMIT + " (default: ${DEFAULT-VALUE}).")
    int maxPaths;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + PathAnswers.DEFAULT_SOURCES,
            description = "Without --from: maximum number of principals listed, 1.." + PathAnswers.MAX_SOURCES_LIMIT
                    + " (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--cut", description = "With --from: list the fewest CAN_ASSUME, CAN_ESCALATE, CAN_IMPERSONATE and"
            + " CAN_ACCESS steps whose removal cuts every path to the target (a minimum cut over the paths of at most"
            + " --max-depth steps), each with the statement to change, and the keys of the principals on the paths.")
    boolean cut;

    @Option(names = "--json", description = "Print the result, with the evidence of every step, as JSON.")
    boolean json;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        Validation.depth(maxDepth);
        if (maxPaths < 1 || maxPaths > PathSearch.MAX_PATHS_LIMIT) {
            throw new BadInputException("--max-paths " + maxPaths + " is outside the allowed range 1.." + PathSearch.MAX_PATHS_LIMIT + ".");
        }
        if (limit < 1 || limit > PathAnswers.MAX_SOURCES_LIMIT) {
            throw new BadInputException("--limit " + limit + " is outside the allowed range 1.." + PathAnswers.MAX_SOURCES_LIMIT + ".");
        }
        if (cut && from == null) {
            throw new BadInputException("--cut needs --from: give the leaked access key id or the principal whose paths to cut.");
        }
        if (from == null && PathAnswers.ADMIN.equals(to) && paths.isEmpty() && !json) {
            // Without --from the command lists who reaches an administrator. A user who forgot --from learns here
            // how to get the paths of one principal instead.
            System.err.println("No --from given: listing the principals that can reach an administrator."
                    + " Add --from ID for the paths of one principal.");
        }
        try (Database db = GraphCommands.open(database, paths, "paths")) {
            GraphService graph = new GraphService(db.store(), ActionCatalog.loadDefault());
            String target = PathAnswers.ADMIN.equals(to) ? to : resolveTarget(graph, to);
            PathAnswers answers = graph.pathAnswers();
            try {
                if (cut) {
                    String principal = GraphCommands.principal(graph, from);
                    GraphService.CredentialNote note = graph.describeCredential(from);
                    RevokePlan.Plan plan = graph.revokePlan(principal, target, maxDepth, note == null ? null : note.keyId());
                    GraphCommands.printAnswer(graph, from, plan, json, RevokePlanText::text);
                } else if (from == null) {
                    PathAnswers.Reaching reaching = answers.reaching(target, maxDepth, limit);
                    System.out.println(json ? Output.json(reaching) : text(reaching));
                } else {
                    PathAnswers.Answer answer = answers.paths(GraphCommands.principal(graph, from), target, maxDepth, maxPaths);
                    GraphCommands.printAnswer(graph, from, answer, json, PathsCommand::text);
                }
            } catch (NoSuchElementException | IllegalArgumentException e) {
                throw new BadInputException(e.getMessage());
            }
            return 0;
        }
    }

    /** Resolves the target to a principal id when one matches, and otherwise keeps it as a resource ARN. */
    private static String resolveTarget(GraphService graph, String reference) {
        try {
            String principal = graph.resolvePrincipal(reference);
            return principal != null ? principal : reference;
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    private static String text(PathAnswers.Answer answer) {
        StringBuilder out = new StringBuilder();
        out.append("Paths from ").append(answer.from()).append(" to ").append(describe(answer.to())).append('\n');
        out.append("  reachable: ").append(answer.reachable());
        if (answer.distance() != null) {
            out.append(", nearest in ").append(steps(answer.distance()));
        }
        out.append('\n');
        PathSearch.Bounds bounds = answer.bounded();
        out.append("  ").append(answer.paths().size()).append(answer.paths().size() == 1 ? " path" : " paths")
                .append(" of at most ").append(steps(bounds.maxDepth())).append(", shortest first")
                .append(bounds.truncated() ? " (truncated: " + bounds.reason() + ")" : " (complete within the bounds)").append('\n');
        Map<String, PathAnswers.Administrator> administrators = new HashMap<>();
        if (answer.administrators() != null) {
            answer.administrators().forEach(admin -> administrators.put(admin.principal(), admin));
        }
        int number = 1;
        for (PathSearch.Path path : answer.paths()) {
            out.append('\n').append("  ").append(number++).append(". ").append(steps(path.length()))
                    .append(path.conditional() ? ", conditional" : "").append('\n');
            PathAnswers.Administrator end = administrators.get(path.to());
            if (path.steps().isEmpty() && end == null) {
                out.append("      ").append(path.from()).append(" is the target itself\n");
            }
            for (PathSearch.Hop hop : path.steps()) {
                out.append("      ").append(hop.from()).append('\n')
                        .append("        --").append(hop.kind()).append(hop.technique() == null ? "" : " " + hop.technique())
                        .append(hop.conditional() ? " (conditional)" : "").append("--> ").append(hop.to()).append('\n');
                String name = techniqueName(hop.technique());
                if (name != null) {
                    out.append("          technique: ").append(name).append('\n');
                }
                // One statement often allows several permissions of a technique; it is shown once. The evidence's
                // note naming the technique repeats the line above, so it is left out.
                for (String line : new java.util.LinkedHashSet<>(hop.evidence().stream().map(PathsCommand::evidenceLine)
                        .filter(line -> !isTechniqueNote(line)).toList())) {
                    out.append("          ").append(line).append('\n');
                }
            }
            if (end != null) {
                appendAdministrator(out, end);
            }
        }
        if (answer.conditions() != null && !answer.conditions().isEmpty()) {
            out.append("\n  Conditions of the conditional steps above (each path depends on those of its own steps):\n");
            for (PathSearch.Condition condition : answer.conditions()) {
                // A GCP binding's evidence names its policy RESOURCE#iam-policy and numbers it among the bindings.
                String part = condition.policy() != null && condition.policy().endsWith("#iam-policy") ? " binding " : " statement ";
                out.append("    ").append(condition.from()).append(" -> ").append(condition.to()).append(": ")
                        .append(condition.condition() != null ? condition.policy() + part + condition.statement()
                                + " " + condition.condition() : condition.note()).append('\n');
            }
        }
        return out.toString();
    }

    private static String text(PathAnswers.Reaching reaching) {
        StringBuilder out = new StringBuilder();
        out.append("Principals that can reach ").append(describe(reaching.to())).append(": ").append(reaching.total())
                .append(reaching.bounded().truncated() ? " (" + reaching.bounded().reason() + ")" : "").append('\n');
        for (PathAnswers.Source source : reaching.sources()) {
            out.append("  [").append(source.distance()).append("] ").append(source.reachable()).append("  ")
                    .append(source.principal()).append('\n');
            PathSearch.Path witness = source.witness();
            if (witness != null && witness.length() > 0) {
                out.append("      via ").append(String.join(" -> ", witness.steps().stream()
                        .map(hop -> hop.kind() + (hop.technique() == null ? "" : " " + hop.technique()) + " " + hop.to())
                        .toList())).append('\n');
            }
            if (source.administers() != null) {
                out.append("      ").append(witness != null && witness.length() > 0 ? "which administers " : "administers ")
                        .append(String.join(", ", source.administers().stream().map(PathsCommand::shortName).toList()))
                        .append('\n');
            }
        }
        out.append("\nThe policy statements and GCP bindings behind every step are in --json; add --from ID for every"
                + " path of one principal.\n");
        return out.toString();
    }

    /**
     * Appends what the administrator at the end of a path administers, with the technique if one makes it an
     * administrator and each binding or statement behind it once.
     */
    private static void appendAdministrator(StringBuilder out, PathAnswers.Administrator admin) {
        boolean conditional = AwsProjection.ADMIN_CONDITIONAL.equals(admin.adminEquivalent());
        List<String> techniques = admin.techniques().stream().filter(technique -> !"binding".equals(technique))
                .map(technique -> EscalationAnalysis.OWN_POLICIES.equals(technique) ? "its own policies" : technique).toList();
        out.append("      ").append(admin.principal()).append(conditional ? " is, if conditions hold, administrator of "
                        : " is administrator of ")
                .append(String.join(", ", admin.scopes().stream().map(PathsCommand::shortName).toList()))
                .append(techniques.isEmpty() ? "" : " by " + String.join(", ", techniques)).append('\n');
        for (String technique : techniques) {
            String name = techniqueName(technique);
            if (name != null) {
                out.append("          technique: ").append(name).append('\n');
            }
        }
        for (String binding : bindings(admin.evidence())) {
            out.append("          ").append(binding).append('\n');
        }
        // An AWS administrator's evidence is policy statements: the escalation behind its mark, or the statements
        // that allow it every action on every resource.
        Set<String> statements = new LinkedHashSet<>();
        for (Evidence entry : admin.evidence()) {
            if (!isBinding(entry) && (entry.policy() != null || entry.note() != null) && !isTechniqueNote(evidenceLine(entry))) {
                statements.add(evidenceLine(entry));
            }
        }
        for (String line : statements) {
            out.append("          ").append(line).append('\n');
        }
    }

    /**
     * Returns each GCP binding in {@code evidence} once, as "binding N on RESOURCE: ROLE", with its condition. Two
     * evidence entries can name one binding, as when it both grants iam.roles.update and binds the role updated.
     */
    static List<String> bindings(List<Evidence> evidence) {
        Set<String> lines = new LinkedHashSet<>();
        for (Evidence entry : evidence) {
            if (!isBinding(entry)) {
                continue;
            }
            StringBuilder line = new StringBuilder(bindingName(entry)).append(": ").append(entry.policyName());
            if (entry.condition() != null) {
                line.append(" if ").append(conditionText(entry));
            }
            lines.add(line.toString());
        }
        return List.copyOf(lines);
    }

    /** Tells whether {@code evidence} is a binding of a GCP allow policy, which it names RESOURCE#iam-policy. */
    static boolean isBinding(Evidence evidence) {
        return "gcp-binding".equals(evidence.policyKind()) && evidence.policy() != null
                && evidence.policy().endsWith(IAM_POLICY) && evidence.statement() >= 0;
    }

    /** Returns "binding N on RESOURCE", with the resource's short name where it has one. */
    static String bindingName(Evidence binding) {
        String resource = binding.policy().substring(0, binding.policy().length() - IAM_POLICY.length());
        return "binding " + binding.statement() + " on " + shortName(resource);
    }

    /** Returns the CEL expression of a GCP condition, or the Condition block as JSON for an AWS statement. */
    static String conditionText(Evidence evidence) {
        JsonNode expression = evidence.condition().get("expression");
        return expression != null && expression.isTextual() ? expression.asText() : evidence.condition().toString();
    }

    /** Returns an organization, folder or project name without its service prefix, such as folders/123. */
    static String shortName(String name) {
        return name.startsWith(RESOURCE_MANAGER) ? name.substring(RESOURCE_MANAGER.length()) : name;
    }

    private static String describe(String to) {
        return PathAnswers.ADMIN.equals(to) ? "an administrator" : to;
    }

    private static String steps(int count) {
        return count + (count == 1 ? " step" : " steps");
    }

    /** Returns the catalogue name of an AWS or GCP technique id, such as gcp-001, or null for none or an unknown id. */
    static String techniqueName(String id) {
        if (id == null) {
            return null;
        }
        if (id.startsWith("gcp-")) {
            return GcpTechniqueCatalog.loadDefault().find(id).map(GcpTechnique::name).orElse(null);
        }
        return TechniqueCatalog.loadDefault().find(id).map(Technique::name).orElse(null);
    }

    /** Tells whether an evidence line is the note "technique ID: NAME", which the text already gives as a title. */
    static boolean isTechniqueNote(String line) {
        return line.matches("technique [a-z0-9-]+-\\d+: .*");
    }

    static String evidenceLine(Evidence evidence) {
        StringBuilder line = new StringBuilder();
        if (isBinding(evidence)) {
            line.append(bindingName(evidence));
        } else if (evidence.policy() != null) {
            line.append(evidence.policy());
            if (evidence.statement() >= 0) {
                // A GCP allow policy has bindings where an AWS policy has statements.
                boolean binding = evidence.policyKind() != null && evidence.policyKind().startsWith("gcp-");
                line.append(binding ? " binding " : " statement ").append(evidence.statement());
            }
            if (evidence.sid() != null && !evidence.sid().isBlank()) {
                line.append(" (").append(evidence.sid()).append(')');
            }
        }
        if (evidence.condition() != null) {
            line.append(" if ").append(conditionText(evidence));
        }
        if (evidence.note() != null) {
            line.append(line.length() == 0 ? "" : ": ").append(evidence.note());
        }
        return line.toString();
    }
}
