package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory.Resource;
import dev.nhigraph.gcp.analysis.ConditionEvaluator.Outcome;
import dev.nhigraph.gcp.analysis.GcpAnalysis.Access;
import dev.nhigraph.gcp.analysis.GcpAuthorization.IndexedBinding;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.eval.Tri;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * <p>A binding to a convenience member such as {@code projectEditor:P} gives one entry to the member, and
 * {@link #memberSets()} lists the holders it stands for, so that the output grows with the bindings and not with
 * bindings times holders. Path search and blast radius give each holder the member's entries. A holder still gets an
 * entry of its own where the member's entry would not be its whole access to the resource. That is so when it is
 * named on the resource too, or when two convenience members on the resource include it. Every holder gets its own
 * entry when a deny rule applies above the resource, because deny rules are decided per principal.
 *
 * <p>Service accounts are left out too: in the graph an account is a principal node, not a GcpResource, so a
 * CAN_ACCESS to it had no node to end at. What a principal can do to an account through the account's own
 * policy is in the CAN_IMPERSONATE and CAN_ESCALATE steps instead.
 */
final class ResourceAccess {

    /** The access levels in the order they are reported. */
    static final List<String> LEVELS = List.of("List", "Read", "Write", "Permissions management", "Tagging");

    private final Derivation derivation;
    /** The convenience members that got an entry, with the holders each stands for. */
    private final Map<String, Map<String, List<Evidence>>> memberSets = new LinkedHashMap<>();
    /** The holders that two or more convenience members include, by the sorted members, for resources of a project. */
    private final Map<String, Set<String>> sharedHolders = new HashMap<>();

    private final boolean memberEntries;

    /** With {@code memberEntries} false, every holder of a convenience member gets its own entries instead. */
    ResourceAccess(Derivation derivation, boolean memberEntries) {
        this.derivation = derivation;
        this.memberEntries = memberEntries;
    }

    /** Returns the convenience members that {@link #run()} gave entries, with their holders and why each is one. */
    Map<String, Map<String, List<Evidence>>> memberSets() {
        return memberSets;
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
        Set<String> ownEntries = !memberEntries || derivation.auth.hasDenyRulesAbove(resource) ? null
                : holdersWithOwnEntry(bindings);
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
            for (Derivation.Source source : sourcesOf(binding, ownEntries)) {
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

    /**
     * Returns the principals whose access through {@code binding} is accumulated: each plain member, and for a
     * convenience member the member itself and those of its holders in {@code ownEntries}. With {@code ownEntries}
     * null every holder is listed instead of the member.
     */
    private List<Derivation.Source> sourcesOf(IndexedBinding binding, Set<String> ownEntries) {
        if (ownEntries == null) {
            return derivation.sourcesOf(binding);
        }
        List<Derivation.Source> sources = new ArrayList<>();
        for (String member : binding.binding.members()) {
            if (member.startsWith("deleted:")) {
                continue;
            }
            sources.add(new Derivation.Source(member, member));
            if (!Principals.isConvenience(member)) {
                continue;
            }
            Map<String, List<Evidence>> holders = derivation.holdersOf(member);
            memberSets.putIfAbsent(member, holders);
            for (String holder : ownEntries) {
                if (holders.containsKey(holder)) {
                    sources.add(new Derivation.Source(holder, member));
                }
            }
        }
        return sources;
    }

    /**
     * Returns the principals that need an entry of their own on a resource with {@code bindings}: those named in a
     * binding, and the holders that two or more of the convenience members on the resource include.
     */
    private Set<String> holdersWithOwnEntry(List<IndexedBinding> bindings) {
        Set<String> own = new HashSet<>();
        Set<String> convenience = new TreeSet<>();
        for (IndexedBinding binding : bindings) {
            for (String member : binding.binding.members()) {
                if (Principals.isConvenience(member)) {
                    convenience.add(member);
                } else if (!member.startsWith("deleted:")) {
                    own.add(member);
                }
            }
        }
        if (convenience.size() > 1) {
            own.addAll(sharedHolders.computeIfAbsent(String.join(" ", convenience), key -> {
                Map<String, Integer> counts = new HashMap<>();
                convenience.forEach(member -> derivation.holdersOf(member).keySet()
                        .forEach(holder -> counts.merge(holder, 1, Integer::sum)));
                Set<String> shared = new HashSet<>();
                counts.forEach((holder, count) -> {
                    if (count > 1) {
                        shared.add(holder);
                    }
                });
                return shared;
            }));
        }
        return own;
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
