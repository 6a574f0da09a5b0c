package dev.nhigraph.cli;

import dev.nhigraph.BadInputException;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.analysis.GcpAuthorization;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.eval.EvaluationResult;
import dev.nhigraph.policy.eval.UnresolvedCondition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "can", mixinStandardHelpOptions = true,
        description = {"Decide one request as AWS would: may PRINCIPAL perform ACTION on RESOURCE?",
                "Prints ALLOWED, DENIED (explicit or implicit) or CONDITIONAL, with the statements that decided it and,"
                        + " for CONDITIONAL, the conditions that depend on the request. With PATHs, loads them into a"
                        + " throw-away database first; without, reads the graph of --data-dir or --neo4j-uri.",
                "Exit code 0 for any decision; 1 and 2 as for every command."})
final class CanCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PRINCIPAL", description = "The caller: ARN, unique id or exact name of a user or role.")
    String principal;

    /** The principal's id in the graph, and the principal as the output prints it: as given, followed by that id. */
    private String resolvedPrincipal;
    private String shownPrincipal;

    @Parameters(index = "1", paramLabel = "ACTION", description = "The action, such as s3:GetObject.")
    String action;

    @Parameters(index = "2", paramLabel = "RESOURCE", description = "The resource ARN, or * for actions without a resource.")
    String resource;

    @Parameters(index = "3..*", arity = "0..*", paramLabel = "PATH", description = "Export files or folders to load first.")
    List<Path> paths = List.of();

    @Option(names = "--context", paramLabel = "KEY=VALUE",
            description = "A condition key value to assume, such as aws:MultiFactorAuthPresent=true. Repeat a key for several values.")
    List<String> context = new ArrayList<>();

    @Option(names = "--json", description = "Print {decision, denial, reason, statements, conditions} as JSON.")
    boolean json;

    @Mixin
    DatabaseOptions database;

    /** The maximum number of catalogue actions that the message for an action without a service prefix suggests. */
    static final int MAX_SUGGESTIONS = 8;

    @Override
    public Integer call() {
        checkServicePrefix(action, ActionCatalog.loadDefault());
        Map<String, List<String>> contextValues = parseContext(context);
        try (Database db = GraphCommands.open(database, paths, "can")) {
            GraphService graph = new GraphService(db.store(), ActionCatalog.loadDefault());
            if (action.contains(":") && graph.catalog().find(action).isEmpty()) {
                System.err.println("warning: " + action + " is not in the AWS action catalogue; check its spelling"
                        + " (service:ActionName, such as sts:AssumeRole). Deciding it anyway.");
            }
            EvaluationResult result;
            try {
                result = graph.can(principal, action, resource, contextValues);
            } catch (NoSuchElementException | IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
            // A name, unique id or key id is shown with the principal it stands for.
            resolvedPrincipal = graph.resolvePrincipal(principal);
            shownPrincipal = resolvedPrincipal == null || resolvedPrincipal.equals(principal) ? principal
                    : principal + " (" + resolvedPrincipal + ")";
            GraphCommands.printAnswer(graph, principal, result, json, this::text);
            return 0;
        }
    }

    /**
     * Rejects an action without a service prefix, such as GetObject for s3:GetObject. AWS names every request action
     * service:Action, so such an action would be decided as one that no policy grants.
     *
     * @throws BadInputException naming the expected form and the catalogue actions of that name
     */
    static void checkServicePrefix(String action, ActionCatalog catalog) {
        int colon = action.indexOf(':');
        if (colon > 0 && colon < action.length() - 1 || GcpNames.isPermission(action)) {
            return;
        }
        String name = action.substring(colon + 1);
        List<String> matches = catalog.all().stream()
                .filter(candidate -> candidate.name().equalsIgnoreCase(name))
                .map(ActionCatalog.Action::fullName)
                .toList();
        StringBuilder message = new StringBuilder("ACTION \"" + action + "\" is not of the form service:Action, such as"
                + " s3:GetObject or sts:AssumeRole.");
        if (!matches.isEmpty()) {
            message.append(" Actions of that name in the AWS action catalogue: ")
                    .append(String.join(", ", matches.subList(0, Math.min(MAX_SUGGESTIONS, matches.size()))))
                    .append(matches.size() > MAX_SUGGESTIONS ? " and " + (matches.size() - MAX_SUGGESTIONS) + " more." : ".");
        }
        throw new BadInputException(message.toString());
    }

    static Map<String, List<String>> parseContext(List<String> pairs) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new BadInputException("--context " + pair + " is not KEY=VALUE, for example --context aws:MultiFactorAuthPresent=true.");
            }
            values.computeIfAbsent(pair.substring(0, equals), k -> new ArrayList<>()).add(pair.substring(equals + 1));
        }
        return values;
    }

    /**
     * Returns " to MEMBER" when a binding grants through a member other than the principal asked about, such as a
     * group, a domain or allUsers, so that a grant to the whole internet does not read as a grant to the principal.
     */
    private String grantee(Evidence binding) {
        if (binding.principals() == null || binding.principals().isEmpty()) {
            return "";
        }
        String member = binding.principals().get(0);
        if (member.equals(principal) || member.equals(resolvedPrincipal) || member.endsWith(":" + principal)) {
            return "";
        }
        return switch (member) {
            case "allUsers" -> " to allUsers (anyone on the internet, without signing in)";
            case "allAuthenticatedUsers" -> " to allAuthenticatedUsers (any signed-in Google account)";
            default -> " to " + member;
        };
    }

    /**
     * Returns ", which makes it one of MEMBER" for a basic-role binding that {@code can} lists because a statement
     * grants to the convenience member MEMBER (projectEditor:P and the like), or "" for any other binding.
     */
    private static String membership(Evidence binding) {
        String member = GcpAuthorization.membershipOf(binding);
        return member == null ? "" : ", which makes it one of " + member;
    }

    private String text(EvaluationResult result) {
        StringBuilder out = new StringBuilder();
        out.append(result.decision()).append(result.denial() == null ? "" : " (" + result.denial() + ")")
                .append(": ").append(shownPrincipal).append(" -> ").append(action).append(" on ").append(resource).append('\n');
        out.append("  ").append(result.reason()).append('\n');
        for (Evidence evidence : result.statements()) {
            if (PathsCommand.isBinding(evidence)) {
                out.append("  ").append(PathsCommand.bindingName(evidence)).append(": ").append(evidence.policyName())
                        .append(grantee(evidence))
                        .append(evidence.condition() == null ? "" : " if " + PathsCommand.conditionText(evidence))
                        .append(membership(evidence))
                        .append('\n');
                continue;
            }
            if (evidence.policyKind() != null && evidence.policyKind().startsWith("gcp-")) {
                out.append("  ").append(evidence.policyKind().equals("gcp-deny") ? "deny rule " : "binding ")
                        .append(evidence.statement()).append(" (").append(evidence.policyName()).append(") of ")
                        .append(evidence.policy()).append(evidence.condition() == null ? "" : " if " + evidence.condition())
                        .append('\n');
                continue;
            }
            out.append("  ").append(evidence.effect()).append(" statement ").append(evidence.statement())
                    .append(evidence.sid() == null || evidence.sid().isEmpty() ? "" : " (" + evidence.sid() + ")")
                    .append(" of ").append(evidence.policyKind()).append(' ').append(evidence.policy())
                    .append(evidence.via() == null ? "" : " via " + evidence.via()).append('\n');
        }
        for (UnresolvedCondition condition : result.conditions()) {
            out.append("  depends on ").append(condition.operator()).append(' ').append(condition.key())
                    .append(' ').append(condition.values()).append('\n');
        }
        return out.toString();
    }
}
