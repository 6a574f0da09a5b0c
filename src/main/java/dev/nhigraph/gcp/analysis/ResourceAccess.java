package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory.Resource;
import dev.nhigraph.gcp.analysis.ConditionEvaluator.Outcome;
import dev.nhigraph.gcp.analysis.GcpAnalysis.Access;
import dev.nhigraph.gcp.analysis.GcpAuthorization.IndexedBinding;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.eval.Tri;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Derives what principals can do to resources below the containers (buckets, secrets, datasets, topics, instances)
 * through the allow policies set on those resources themselves.
 *
 * <p>Grants inherited from a project, folder or organization are left out: they reach every resource below and
 * are represented by the container's bindings, and listing them per resource would multiply the output by the
 * resources of each project. Of a role's permissions, only those of the resource's service count. A permission that
 * a deny rule denies is dropped, and one it may deny makes the access conditional.
 *
 * <p>Service accounts are left out too: in the graph an account is a principal node, not a GcpResource, so a
 * CAN_ACCESS to it had no node to end at. What a principal can do to an account through the account's own
 * policy is in the CAN_IMPERSONATE and CAN_ESCALATE steps instead.
 */
final class ResourceAccess {

    /** The access levels in the order they are reported. */
    static final List<String> LEVELS = List.of("List", "Read", "Write", "Permissions management", "Tagging");

    private final Derivation derivation;

    ResourceAccess(Derivation derivation) {
        this.derivation = derivation;
    }

    private static final class Accumulated {
        final Set<String> permissions = new TreeSet<>();
        final List<Evidence> evidence = new ArrayList<>();
        boolean conditional;
    }

    List<Access> run() {
        List<Access> result = new ArrayList<>();
        for (Resource resource : derivation.hierarchy.leafResources()) {
            result.addAll(accessTo(resource.name(), resource.assetType()));
        }
        return result;
    }

    private List<Access> accessTo(String resource, String assetType) {
        List<IndexedBinding> bindings = derivation.auth.bindingsOn(resource);
        if (bindings.isEmpty() || assetType == null || !assetType.contains("/")) {
            return List.of();
        }
        Map<String, Accumulated> byPrincipal = new LinkedHashMap<>();
        var context = derivation.auth.resourceContext(resource);
        for (IndexedBinding binding : bindings) {
            List<String> permissions = relevant(derivation.auth.roles().permissions(binding.role()), assetType);
            if (permissions.isEmpty()) {
                continue;
            }
            Tri condition = Tri.TRUE;
            String conditionNote = null;
            if (binding.binding.condition() != null && binding.binding.condition().expression() != null) {
                Outcome outcome = derivation.auth.conditions().evaluate(binding.binding.condition().expression(), context);
                condition = outcome.value();
                conditionNote = outcome.note();
            }
            if (condition == Tri.FALSE) {
                continue;
            }
            for (Derivation.Source source : derivation.sourcesOf(binding)) {
                Accumulated accumulated = byPrincipal.computeIfAbsent(source.principal(), k -> new Accumulated());
                accumulated.permissions.addAll(permissions);
                accumulated.conditional |= condition == Tri.UNKNOWN;
                String note = "Grants " + permissions.size() + " permission(s) on " + resource + " through "
                        + binding.role() + " to " + source.member() + "."
                        + (condition == Tri.UNKNOWN ? " Only if its condition holds: " + conditionNote : "");
                accumulated.evidence.add(GcpAuthorization.bindingEvidence(binding, source.member(), permissions, note));
            }
        }

        List<Access> result = new ArrayList<>();
        for (Map.Entry<String, Accumulated> entry : byPrincipal.entrySet()) {
            Accumulated accumulated = entry.getValue();
            applyDenyRules(entry.getKey(), resource, accumulated);
            if (accumulated.permissions.isEmpty()) {
                continue;
            }
            result.add(new Access(entry.getKey(), resource, levels(accumulated.permissions),
                    accumulated.permissions.size(), accumulated.conditional, List.copyOf(accumulated.evidence)));
        }
        return result;
    }

    private void applyDenyRules(String principal, String resource, Accumulated accumulated) {
        if (!derivation.auth.hasDenyRulesAbove(resource)) {
            return;
        }
        for (String permission : List.copyOf(accumulated.permissions)) {
            GcpAuthorization.Decision decision = derivation.auth.decide(principal, permission, resource);
            if (decision.denying().isEmpty()) {
                continue;
            }
            if (decision.result() == Tri.FALSE) {
                accumulated.permissions.remove(permission);
            } else {
                accumulated.conditional = true;
            }
            accumulated.evidence.addAll(decision.denying());
        }
    }

    /** Returns the permissions of a role that act on a resource of {@code assetType}. */
    static List<String> relevant(Set<String> permissions, String assetType) {
        String service = assetType.substring(0, assetType.indexOf('.'));
        List<String> result = new ArrayList<>();
        for (String permission : permissions) {
            if (permission.startsWith(service + ".")) {
                result.add(permission);
            }
        }
        return result;
    }

    /** Returns the access levels of {@code permissions}, in the order of {@link #LEVELS}. */
    static List<String> levels(Set<String> permissions) {
        Set<String> found = new LinkedHashSet<>();
        for (String permission : permissions) {
            found.add(levelOf(permission));
        }
        return LEVELS.stream().filter(found::contains).toList();
    }

    /**
     * Classifies a permission by its verb, the part after the last dot: tag and label changes are Tagging,
     * {@code setIamPolicy} is Permissions management, {@code list*} is List, verbs that only read are Read, and
     * everything else is Write.
     */
    static String levelOf(String permission) {
        String verb = permission.substring(permission.lastIndexOf('.') + 1);
        String lower = verb.toLowerCase(Locale.ROOT);
        if (lower.contains("tagbinding") || lower.contains("effectivetags") || lower.equals("setlabels")
                || lower.equals("settags") || permission.contains(".tagBindings.")) {
            return "Tagging";
        }
        if (lower.equals("setiampolicy")) {
            return "Permissions management";
        }
        if (lower.startsWith("list")) {
            return "List";
        }
        if (lower.startsWith("get") || lower.startsWith("read") || lower.startsWith("view") || lower.startsWith("search")
                || lower.startsWith("query") || lower.equals("access") || lower.equals("lookup") || lower.equals("download")
                || lower.equals("consume") || lower.equals("export") || lower.equals("exists")) {
            return "Read";
        }
        return "Write";
    }
}
