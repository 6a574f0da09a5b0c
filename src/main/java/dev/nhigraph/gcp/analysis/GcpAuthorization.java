package dev.nhigraph.gcp.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpInventory.Binding;
import dev.nhigraph.gcp.GcpInventory.Condition;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.GcpRoleCatalog;
import dev.nhigraph.gcp.analysis.ConditionEvaluator.Outcome;
import dev.nhigraph.gcp.analysis.ConditionEvaluator.ResourceContext;
import dev.nhigraph.gcp.analysis.Principals.Principal;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.eval.Tri;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a principal has a permission on a resource, from the allow and deny policies of a GCP inventory,
 * and names the bindings and deny rules that decided it.
 *
 * <p>Allow: a binding on the resource or any ancestor grants the permission when its role contains it, one of its
 * members includes the principal and its condition holds. Members include the principal when they name it, or name
 * a set that contains it ({@code allUsers}, {@code allAuthenticatedUsers}, {@code domain:D}, the service accounts of a
 * container, every identity of a workload identity pool), or are a convenience member
 * ({@code projectOwner:P}, {@code projectEditor:P}, {@code projectViewer:P}) and the principal has
 * {@code roles/owner}, {@code roles/editor} or {@code roles/viewer} on project P, directly or inherited. Group
 * membership is not in the bundle: a {@code group:} member includes only the group itself.
 *
 * <p>Deny: a deny rule attached to the resource or an ancestor denies the permission when one of its denied
 * principals includes the principal, none of its exception principals does, the permission is denied and not
 * excepted, and its condition holds. The result is allow AND NOT deny in three-valued logic, so a conditional deny
 * turns YES into CONDITIONAL.
 *
 * <p>{@link Tri#TRUE} is YES, {@link Tri#FALSE} NO and {@link Tri#UNKNOWN} CONDITIONAL. A decision ignores whether
 * the principal can authenticate: a disabled service account keeps its bindings, and {@link GcpAnalysis} handles
 * that. Instances are safe to share between threads once built.
 */
public final class GcpAuthorization {

    /**
     * One access decision.
     *
     * @param result              YES ({@link Tri#TRUE}), NO ({@link Tri#FALSE}) or CONDITIONAL ({@link Tri#UNKNOWN})
     * @param allowing            the bindings that grant the permission: the unconditional ones when there are any,
     *                            else those whose condition could not be decided
     * @param denying             the deny rules that deny it or may deny it
     * @param undecidedConditions the conditions that made the result CONDITIONAL, each as {@code "TITLE: EXPRESSION"}
     */
    /**
     * @param notMet the bindings that would grant the permission but whose condition is false, such as an expired
     *               grant, listed so that a denial can explain why they do not count
     */
    public record Decision(Tri result, List<Evidence> allowing, List<Evidence> denying, List<String> undecidedConditions,
                           List<Evidence> notMet) {
    }

    /** A binding with its members split into plain identifiers and members that name sets of principals. */
    static final class IndexedBinding {
        final Binding binding;
        final Set<String> plainMembers;
        final List<String> setMembers;

        IndexedBinding(Binding binding) {
            this.binding = binding;
            Set<String> plain = new HashSet<>();
            List<String> sets = new ArrayList<>();
            for (String member : binding.members()) {
                if (isSetMember(member)) {
                    sets.add(member);
                } else {
                    plain.add(member);
                }
            }
            this.plainMembers = plain;
            this.setMembers = sets;
        }

        String resource() {
            return binding.resource();
        }

        String role() {
            return binding.role();
        }

        private static boolean isSetMember(String member) {
            return member.equals(Principals.ALL_USERS) || member.equals(Principals.ALL_AUTHENTICATED_USERS)
                    || member.startsWith("domain:") || Principals.isConvenience(member)
                    || (member.startsWith("principalSet://") && (member.endsWith("/*") || member.endsWith("/type/ServiceAccount")));
        }
    }

    /** Whether, and through which member, a binding includes a principal. */
    record MemberMatch(Tri value, String member) {
        static final MemberMatch NONE = new MemberMatch(Tri.FALSE, null);
    }

    private static final Map<String, String> BASIC_ROLES = Map.of("projectOwner", "roles/owner",
            "projectEditor", "roles/editor", "projectViewer", "roles/viewer");

    /** The start of a note of {@link #membershipEvidence}, with the convenience member as group 1. */
    private static final Pattern MEMBERSHIP_NOTE = Pattern.compile("Makes \\S+ one of (\\S+) through ");

    private final Hierarchy hierarchy;
    private final Principals principals;
    private final RoleIndex roles;
    private final ConditionEvaluator conditions;
    private final DenyRules denyRules;
    private final Map<String, List<IndexedBinding>> bindingsByResource = new HashMap<>();
    private final Map<String, List<IndexedBinding>> bindingsByRole = new HashMap<>();
    private final Map<String, Map<String, List<IndexedBinding>>> bindingsByPermission = new ConcurrentHashMap<>();
    private final Map<String, Map<String, List<IndexedBinding>>> bindingsByRoleAndResource = new ConcurrentHashMap<>();
    private final Map<String, Tri> basicRoles = new ConcurrentHashMap<>();
    private final Set<String> warnings = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Instant snapshotTime;

    /**
     * Indexes {@code inventory} for decisions.
     *
     * @param predefined   the predefined roles; the inventory's custom roles are added to them
     * @param snapshotTime the time at which {@code request.time} conditions are decided
     */
    public GcpAuthorization(GcpInventory inventory, GcpRoleCatalog predefined, Instant snapshotTime) {
        this.hierarchy = new Hierarchy(inventory);
        this.principals = new Principals(hierarchy);
        this.roles = new RoleIndex(predefined, inventory.customRoles(), warnings::add);
        this.conditions = new ConditionEvaluator(snapshotTime);
        this.snapshotTime = snapshotTime;
        this.denyRules = new DenyRules(inventory.denyRules());
        for (Binding binding : inventory.bindings()) {
            IndexedBinding indexed = new IndexedBinding(binding);
            bindingsByResource.computeIfAbsent(binding.resource(), k -> new ArrayList<>()).add(indexed);
            bindingsByRole.computeIfAbsent(binding.role(), k -> new ArrayList<>()).add(indexed);
            if (binding.condition() != null && binding.condition().expression() != null) {
                String error = conditions.parseError(binding.condition().expression());
                if (error != null) {
                    warnings.add("The condition of binding " + binding.index() + " (" + binding.role() + ") on "
                            + binding.resource() + " could not be parsed (" + error + "), so the binding is treated as"
                            + " conditional.");
                }
            }
        }
    }

    /**
     * Decides whether {@code principal} has {@code permission} on {@code resourceName}.
     *
     * @param principal    a member string as IAM writes it, such as {@code serviceAccount:EMAIL}
     * @param permission   a permission in allow-policy form, such as {@code iam.serviceAccounts.getAccessToken}
     * @param resourceName the canonical full resource name, see {@link dev.nhigraph.gcp.GcpNames}
     */
    public Decision decide(String principal, String permission, String resourceName) {
        return decide(principals.parse(principal), permission, resourceName);
    }

    /**
     * Tells whether the member string {@code member} of a binding includes {@code principal}: YES when it names it or
     * names a set that contains it ({@code allUsers}, {@code allAuthenticatedUsers}, {@code domain:D}, a principal
     * set), CONDITIONAL for a convenience member whose basic-role binding is conditional, NO otherwise. Path search
     * can use it to link principals to the set members that are step sources of their own.
     */
    public Tri memberIncludes(String member, String principal) {
        Principal parsed = principals.parse(principal);
        if (Principals.isConvenience(member)) {
            return member.equals(principal) ? Tri.TRUE : holdsBasicRole(parsed, member);
        }
        return principals.setIncludes(member, parsed) ? Tri.TRUE : Tri.FALSE;
    }

    /**
     * Tells whether the inventory places {@code resourceName} in the hierarchy: as a resource or account it lists, or
     * by a name that contains its project. Bindings inherited from above cannot be applied to a resource it does not.
     */
    public boolean knowsParentOf(String resourceName) {
        return hierarchy.parentOf(resourceName) != null || GcpNames.isContainer(resourceName)
                && hierarchy.resource(resourceName) != null;
    }

    /** Tells whether a predefined role or a custom role of the inventory contains {@code permission}. */
    public boolean anyRoleContains(String permission) {
        return roles.anyRoleContains(permission);
    }

    /** Returns the time at which {@code request.time} conditions are decided. */
    public Instant snapshotTime() {
        return snapshotTime;
    }

    /** Returns the problems met while indexing and deciding, such as unknown roles, each once. */
    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    Decision decide(Principal principal, String permission, String resourceName) {
        ResourceContext context = contextFor(permission, resourceName);

        // Phase 1: allow policies of the resource and its ancestors.
        List<Evidence> granted = new ArrayList<>();
        List<Evidence> conditional = new ArrayList<>();
        Set<String> undecided = new LinkedHashSet<>();
        List<Evidence> notMet = new ArrayList<>();
        Map<String, List<IndexedBinding>> granting = grantingIndex(permission);
        for (String level : hierarchy.ancestors(resourceName)) {
            for (IndexedBinding binding : granting.getOrDefault(level, List.of())) {
                MemberMatch match = match(binding, principal);
                if (match.value == Tri.FALSE) {
                    continue;
                }
                Outcome outcome = condition(binding.binding.condition(), context);
                Tri value = match.value.and(outcome.value());
                if (outcome.value() == Tri.FALSE) {
                    notMet.add(bindingEvidence(binding, match.member, List.of(permission), "Would grant " + permission
                            + " through " + binding.role() + " on " + binding.resource() + ", but its condition is false. "
                            + outcome.note()));
                }
                if (value == Tri.TRUE) {
                    granted.add(bindingEvidence(binding, match.member, List.of(permission),
                            grantNote(binding, match.member, permission, outcome)));
                } else if (value == Tri.UNKNOWN) {
                    String note = match.value == Tri.UNKNOWN
                            ? "Grants " + permission + " if " + principal.id() + " still has the basic role behind "
                            + match.member + ", whose binding is conditional."
                            : "Grants " + permission + " through " + binding.role() + " on " + binding.resource()
                            + " only if its condition holds. " + outcome.note();
                    conditional.add(bindingEvidence(binding, match.member, List.of(permission), note));
                    if (binding.binding.condition() != null) {
                        undecided.add(describe(binding.binding.condition()));
                    }
                }
            }
        }
        Tri allow = !granted.isEmpty() ? Tri.TRUE : !conditional.isEmpty() ? Tri.UNKNOWN : Tri.FALSE;
        List<Evidence> allowing = !granted.isEmpty() ? granted : conditional;
        if (allow == Tri.FALSE) {
            return new Decision(Tri.FALSE, List.of(), List.of(), List.of(), List.copyOf(notMet));
        }

        // Phase 2: deny policies attached to the resource and its ancestors.
        Tri deny = Tri.FALSE;
        List<Evidence> denying = new ArrayList<>();
        if (!denyRules.isEmpty()) {
            for (String level : hierarchy.ancestors(resourceName)) {
                for (DenyRules.IndexedRule rule : denyRules.at(level)) {
                    Tri applies = denyApplies(rule, principal, permission, context, denying, undecided);
                    deny = deny.or(applies);
                }
            }
        }
        Tri result = allow.and(deny.not());
        if (result != Tri.UNKNOWN) {
            undecided.clear();
        }
        return new Decision(result, List.copyOf(allowing), List.copyOf(denying), List.copyOf(undecided), List.copyOf(notMet));
    }

    private Tri denyApplies(DenyRules.IndexedRule indexed, Principal principal, String permission,
                            ResourceContext context, List<Evidence> denying, Set<String> undecided) {
        GcpInventory.DenyRule rule = indexed.rule();
        if (!indexed.denies(permission)) {
            return Tri.FALSE;
        }
        String deniedAs = null;
        for (String denied : rule.deniedPrincipals()) {
            if (principals.denyIncludes(denied, principal)) {
                deniedAs = denied;
                break;
            }
        }
        if (deniedAs == null) {
            return Tri.FALSE;
        }
        if (rule.exceptionPrincipals() != null) {
            for (String exception : rule.exceptionPrincipals()) {
                if (principals.denyIncludes(exception, principal)) {
                    return Tri.FALSE;
                }
            }
        }
        Outcome outcome = condition(rule.condition(), context);
        if (outcome.value() == Tri.FALSE) {
            return Tri.FALSE;
        }
        String note = outcome.value() == Tri.TRUE
                ? "Denies " + permission + " to " + deniedAs + "."
                : "Denies " + permission + " to " + deniedAs + " if its denial condition holds. " + outcome.note();
        denying.add(new Evidence(rule.attachmentPoint() + "#deny-policy", rule.policyName(), "gcp-deny", null,
                indexed.index(), null, "Deny", List.of(permission), List.of(rule.attachmentPoint()),
                List.of(deniedAs), conditionJson(rule.condition()), note));
        if (outcome.value() == Tri.UNKNOWN && rule.condition() != null) {
            undecided.add(describe(rule.condition()));
        }
        return outcome.value();
    }

    // ---- members --------------------------------------------------------------------------------------------------

    /** Tells whether {@code binding} includes {@code principal}, and through which member. */
    MemberMatch match(IndexedBinding binding, Principal principal) {
        if (binding.plainMembers.contains(principal.id())) {
            return new MemberMatch(Tri.TRUE, principal.id());
        }
        MemberMatch best = MemberMatch.NONE;
        for (String member : binding.setMembers) {
            Tri value;
            if (Principals.isConvenience(member)) {
                value = holdsBasicRole(principal, member);
            } else {
                value = principals.setIncludes(member, principal) ? Tri.TRUE : Tri.FALSE;
            }
            if (value == Tri.TRUE) {
                return new MemberMatch(Tri.TRUE, member);
            }
            if (value == Tri.UNKNOWN && best.value == Tri.FALSE) {
                best = new MemberMatch(Tri.UNKNOWN, member);
            }
        }
        return best;
    }

    /**
     * Tells whether {@code principal} is in a convenience member such as {@code projectEditor:P}, that is, whether it
     * has the basic role on project P through a binding on P or an ancestor.
     */
    private Tri holdsBasicRole(Principal principal, String member) {
        int colon = member.indexOf(':');
        String role = BASIC_ROLES.get(member.substring(0, colon));
        String project = hierarchy.projectByIdOrNumber(member.substring(colon + 1));
        return basicRoles.computeIfAbsent(principal.id() + "\u0000" + member, key -> {
            Tri held = Tri.FALSE;
            for (BasicRoleGrant grant : basicRoleGrants(principal, role, project)) {
                held = held.or(grant.outcome().value());
            }
            return held;
        });
    }

    /**
     * Returns, as evidence, the basic-role bindings that make {@code principal} a holder of the convenience member
     * {@code member}: for {@code projectEditor:P}, the bindings of roles/editor on P or an ancestor that name the
     * principal and whose condition is not false. A decision that a binding to {@code member} allows can then show
     * why the principal is one of its holders. Empty for a member that is not a convenience member.
     */
    public List<Evidence> membershipEvidence(String principal, String member) {
        int colon = member.indexOf(':');
        String role = colon < 0 ? null : BASIC_ROLES.get(member.substring(0, colon));
        String project = role == null ? null : hierarchy.projectByIdOrNumber(member.substring(colon + 1));
        if (project == null) {
            return List.of();
        }
        Principal parsed = principals.parse(principal);
        List<Evidence> evidence = new ArrayList<>();
        for (BasicRoleGrant grant : basicRoleGrants(parsed, role, project)) {
            Outcome outcome = grant.outcome();
            if (outcome.value() != Tri.FALSE) {
                evidence.add(bindingEvidence(grant.binding(), grant.through(), List.of(), "Makes " + parsed.id()
                        + " one of " + member + " through " + role + " on " + grant.binding().resource() + "."
                        + (outcome.note() == null ? "" : " " + outcome.note())));
            }
        }
        return evidence;
    }

    /** A binding of a basic role that names a principal, with the member that names it and its condition's outcome. */
    private record BasicRoleGrant(IndexedBinding binding, String through, Outcome outcome) {
    }

    /**
     * Returns the bindings of {@code role} on {@code project} or an ancestor that name {@code principal}, directly or
     * by a set member. Convenience members of those bindings are not followed, which keeps the check from looping.
     */
    private List<BasicRoleGrant> basicRoleGrants(Principal principal, String role, String project) {
        ResourceContext context = contextFor("resourcemanager.projects.get", project);
        List<BasicRoleGrant> grants = new ArrayList<>();
        for (String level : hierarchy.ancestors(project)) {
            for (IndexedBinding binding : bindingsOfRole(role, level)) {
                String through = binding.plainMembers.contains(principal.id()) ? principal.id() : null;
                for (String set : binding.setMembers) {
                    if (through == null && !Principals.isConvenience(set) && principals.setIncludes(set, principal)) {
                        through = set;
                    }
                }
                if (through != null) {
                    grants.add(new BasicRoleGrant(binding, through, condition(binding.binding.condition(), context)));
                }
            }
        }
        return grants;
    }

    /** Returns the convenience member of evidence that {@link #membershipEvidence} made, or null for other evidence. */
    public static String membershipOf(Evidence evidence) {
        if (evidence.actions() == null || !evidence.actions().isEmpty() || evidence.note() == null) {
            return null;
        }
        Matcher matcher = MEMBERSHIP_NOTE.matcher(evidence.note());
        return matcher.lookingAt() ? matcher.group(1) : null;
    }

    // ---- conditions -----------------------------------------------------------------------------------------------

    private Outcome condition(Condition condition, ResourceContext context) {
        if (condition == null || condition.expression() == null || condition.expression().isBlank()) {
            return new Outcome(Tri.TRUE, null, List.of());
        }
        return conditions.evaluate(condition.expression(), context);
    }

    /**
     * Returns the resource attributes a condition reads when {@code permission} is checked on {@code resourceName}.
     * They are known only when the permission acts on a resource of that type, such as
     * {@code iam.serviceAccounts.actAs} on a service account. When a create permission is checked on the project, the
     * request names the resource being created, which the snapshot does not contain.
     */
    ResourceContext contextFor(String permission, String resourceName) {
        String type = hierarchy.typeOf(resourceName);
        if (type == null) {
            return ResourceContext.UNKNOWN;
        }
        if (actsOn(permission, type)) {
            return resourceContext(resourceName);
        }
        // A permission of the same service on another collection acts on a child, such as storage.objects.get on a
        // bucket or iam.serviceAccountKeys.create on an account: its name starts with the resource's name.
        String service = type.substring(0, type.indexOf('/'));
        if (permission.startsWith(service.substring(0, service.indexOf('.') + 1)) && !GcpNames.isContainer(resourceName)) {
            return new ResourceContext(hierarchy.conditionNames(resourceName), null, service, true);
        }
        return ResourceContext.UNKNOWN;
    }

    /** Returns the resource attributes of {@code resourceName} itself, as a request on it would carry them. */
    ResourceContext resourceContext(String resourceName) {
        String type = hierarchy.typeOf(resourceName);
        if (type == null || type.indexOf('/') < 0) {
            return new ResourceContext(hierarchy.conditionNames(resourceName), null, null, false);
        }
        String service = type.substring(0, type.indexOf('/'));
        return new ResourceContext(hierarchy.conditionNames(resourceName), type, service, false);
    }

    /** Returns the organizations, folders and projects that have a deny rule attached. */
    Set<String> denyAttachmentPoints() {
        return denyRules.attachmentPoints();
    }

    /** Tells whether a deny rule is attached to {@code resourceName} or an ancestor. */
    boolean hasDenyRulesAbove(String resourceName) {
        if (denyRules.isEmpty()) {
            return false;
        }
        for (String level : hierarchy.ancestors(resourceName)) {
            if (!denyRules.at(level).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Tells whether {@code permission} ({@code service.collection.verb}) acts on resources of {@code assetType}. */
    static boolean actsOn(String permission, String assetType) {
        int first = permission.indexOf('.');
        int last = permission.lastIndexOf('.');
        int slash = assetType.indexOf('/');
        if (first < 0 || last <= first || slash < 0) {
            return false;
        }
        String collection = permission.substring(first + 1, last).toLowerCase(Locale.ROOT);
        String kind = assetType.substring(slash + 1).toLowerCase(Locale.ROOT);
        return collection.equals(kind) || collection.equals(kind + "s") || collection.equals(kind + "es")
                || (kind.endsWith("y") && collection.equals(kind.substring(0, kind.length() - 1) + "ies"));
    }

    static String describe(Condition condition) {
        return (condition.title() == null ? "(untitled)" : condition.title()) + ": " + condition.expression();
    }

    // ---- evidence -------------------------------------------------------------------------------------------------

    static Evidence bindingEvidence(IndexedBinding binding, String member, List<String> permissions, String note) {
        Binding b = binding.binding;
        return new Evidence(b.resource() + "#iam-policy", b.role(), "gcp-binding", null, b.index(), null, "Allow",
                List.copyOf(permissions), List.of(b.resource()), List.of(member), conditionJson(b.condition()), note);
    }

    private static String grantNote(IndexedBinding binding, String member, String permission, Outcome outcome) {
        String note = "Grants " + permission + " through " + binding.role() + " on " + binding.resource() + " to "
                + member + ".";
        return outcome.note() == null ? note : note + " " + outcome.note();
    }

    static JsonNode conditionJson(Condition condition) {
        if (condition == null) {
            return null;
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("title", condition.title());
        node.put("expression", condition.expression());
        return node;
    }

    // ---- access for the analysis ----------------------------------------------------------------------------------

    Hierarchy hierarchy() {
        return hierarchy;
    }

    Principals principals() {
        return principals;
    }

    RoleIndex roles() {
        return roles;
    }

    ConditionEvaluator conditions() {
        return conditions;
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    List<IndexedBinding> bindingsOn(String resourceName) {
        return bindingsByResource.getOrDefault(resourceName, List.of());
    }

    /** Returns every binding whose role contains {@code permission}. */
    List<IndexedBinding> bindingsGranting(String permission) {
        List<IndexedBinding> result = new ArrayList<>();
        grantingIndex(permission).values().forEach(result::addAll);
        return result;
    }

    /** Returns the bindings whose role contains {@code permission} on {@code resourceName} itself. */
    List<IndexedBinding> bindingsGranting(String permission, String resourceName) {
        return grantingIndex(permission).getOrDefault(resourceName, List.of());
    }

    /**
     * Returns the bindings whose role contains {@code permission}, by the resource they are on; built once per
     * permission from the roles, so that a decision reads only the bindings that can matter.
     */
    private Map<String, List<IndexedBinding>> grantingIndex(String permission) {
        return bindingsByPermission.computeIfAbsent(permission, p -> {
            Map<String, List<IndexedBinding>> result = new HashMap<>();
            bindingsByRole.forEach((role, bindings) -> {
                if (roles.permissions(role).contains(p)) {
                    for (IndexedBinding binding : bindings) {
                        result.computeIfAbsent(binding.resource(), k -> new ArrayList<>()).add(binding);
                    }
                }
            });
            return result;
        });
    }

    /** Returns the bindings of {@code role} on {@code resourceName} itself. */
    List<IndexedBinding> bindingsOfRole(String role, String resourceName) {
        return bindingsByRoleAndResource.computeIfAbsent(role, r -> {
            Map<String, List<IndexedBinding>> result = new HashMap<>();
            for (IndexedBinding binding : bindingsByRole.getOrDefault(r, List.of())) {
                result.computeIfAbsent(binding.resource(), k -> new ArrayList<>()).add(binding);
            }
            return result;
        }).getOrDefault(resourceName, List.of());
    }

    /** Returns every binding of the inventory, grouped by role. */
    Map<String, List<IndexedBinding>> bindingsByRole() {
        return bindingsByRole;
    }
}
