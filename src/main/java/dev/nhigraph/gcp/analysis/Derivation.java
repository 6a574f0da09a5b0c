package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.analysis.GcpAnalysis.AdminGrant;
import dev.nhigraph.gcp.analysis.GcpAnalysis.Step;
import dev.nhigraph.gcp.analysis.GcpAuthorization.IndexedBinding;
import dev.nhigraph.gcp.analysis.Principals.Kind;
import dev.nhigraph.gcp.analysis.Principals.Principal;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.eval.Tri;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state the derivation phases share: the authorization index, the technique catalogue, the attached accounts, the
 * steps and admin grants found so far and the warnings.
 *
 * <p>Steps are collected one per source and target: when several techniques connect the same pair, the step keeps
 * the best one, an unconditional impersonation before an unconditional escalation before conditional ones, and
 * the earlier technique of the catalogue among equals. This keeps the output linear in the pairs, which matters
 * when an editor of a large project reaches every account of it by twenty techniques.
 */
final class Derivation {

    /** A principal that a binding member stands for, and the member as the binding writes it. */
    record Source(String principal, String member) {
    }

    private record Candidate(String source, String target, GcpTechnique technique, Check check) {
    }

    /** A scope-wide step offered from {@code source} to every enabled service account below {@code scope}. */
    private record ScopeCandidate(String source, String scope, GcpTechnique technique, Check check, int rank) {
    }

    final GcpAuthorization auth;
    final Hierarchy hierarchy;
    final Principals principals;
    final GcpTechniqueCatalog catalog;
    final AttachedAccounts attached;

    private final Map<String, Integer> order = new HashMap<>();
    private final Map<String, Candidate> steps = new LinkedHashMap<>();
    private final Map<String, AdminGrant> admins = new LinkedHashMap<>();
    private final Set<String> warnings = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Map<String, List<Source>> sourcesByBinding = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Map<String, List<Evidence>>> holdersByMember = new java.util.concurrent.ConcurrentHashMap<>();
    /** Scope-wide steps by source, then by scope. */
    private final Map<String, Map<String, ScopeCandidate>> scopeSteps = new HashMap<>();
    /** The scopes below which a source can mint tokens of every enabled account, for delegation chains. */
    private final Map<String, Map<String, Check>> scopeMinting = new HashMap<>();

    Derivation(GcpAuthorization auth, GcpTechniqueCatalog catalog, AttachedAccounts attached) {
        this.auth = auth;
        this.hierarchy = auth.hierarchy();
        this.principals = auth.principals();
        this.catalog = catalog;
        this.attached = attached;
        List<GcpTechnique> all = catalog.all();
        for (int i = 0; i < all.size(); i++) {
            order.put(all.get(i).id(), i);
        }
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    List<String> warnings() {
        List<String> all = new ArrayList<>(auth.warnings());
        synchronized (warnings) {
            all.addAll(warnings);
        }
        return all;
    }

    List<GcpTechnique> techniques(String category) {
        return catalog.all().stream().filter(t -> t.category().equals(category)).toList();
    }

    // ---- sources --------------------------------------------------------------------------------------------------

    /**
     * Returns the principals a binding's members stand for, as sources of steps. A member that names a set
     * ({@code allAuthenticatedUsers}, {@code domain:D}, a principal set) is a source of its own, because path search
     * links members to it. A convenience member stands for the holders of its basic role on the project. Deleted
     * members cannot sign in and are left out.
     */
    List<Source> sourcesOf(IndexedBinding binding) {
        String key = binding.resource() + "#" + binding.binding.index() + "#" + binding.role();
        List<Source> cached = sourcesByBinding.get(key);
        if (cached != null) {
            return cached;
        }
        List<Source> sources = new ArrayList<>();
        for (String member : binding.binding.members()) {
            if (member.startsWith("deleted:")) {
                continue;
            }
            if (Principals.isConvenience(member)) {
                for (String holder : holdersOf(member).keySet()) {
                    sources.add(new Source(holder, member));
                }
            } else {
                sources.add(new Source(member, member));
            }
        }
        sourcesByBinding.put(key, sources);
        return sources;
    }

    /**
     * Returns the principals that a convenience member such as {@code projectEditor:P} stands for, the holders of
     * the basic role on project P or an ancestor, each with the bindings that make it one. The conditions of those
     * bindings are not evaluated here. Deleted and convenience members of those bindings are left out.
     */
    Map<String, List<Evidence>> holdersOf(String member) {
        return holdersByMember.computeIfAbsent(member, key -> {
            int colon = member.indexOf(':');
            String role = switch (member.substring(0, colon)) {
                case "projectOwner" -> "roles/owner";
                case "projectEditor" -> "roles/editor";
                default -> "roles/viewer";
            };
            String project = hierarchy.projectByIdOrNumber(member.substring(colon + 1));
            Map<String, List<Evidence>> holders = new LinkedHashMap<>();
            for (String level : hierarchy.ancestors(project)) {
                for (IndexedBinding binding : auth.bindingsOfRole(role, level)) {
                    for (String holder : binding.binding.members()) {
                        if (!holder.startsWith("deleted:") && !Principals.isConvenience(holder)) {
                            String note = "Grants " + role + " on " + binding.resource() + " to " + holder + ", so "
                                    + member + " includes it.";
                            holders.computeIfAbsent(holder, k -> new ArrayList<>())
                                    .add(GcpAuthorization.bindingEvidence(binding, holder, List.of(), note));
                        }
                    }
                }
            }
            return Collections.unmodifiableMap(holders);
        });
    }

    /** Returns the sources of every binding that grants {@code permission} on {@code resource} or an ancestor. */
    Set<String> sourcesWith(String permission, String resource) {
        Set<String> sources = new LinkedHashSet<>();
        for (String level : hierarchy.ancestors(resource)) {
            for (IndexedBinding binding : auth.bindingsGranting(permission, level)) {
                for (Source source : sourcesOf(binding)) {
                    sources.add(source.principal());
                }
            }
        }
        return sources;
    }

    /**
     * A source of a step to an account, with the best rank of the scope-wide steps that cover the account from it
     * ({@link Integer#MAX_VALUE} when none does or the account is disabled) and whether it can mint the account's
     * tokens scope-wide.
     */
    record AccountSource(String principal, int scopeRank, boolean mintingCovered) {
    }

    /**
     * Returns the same sources as {@link #sourcesWith} for {@code permission} on {@code account}, less the
     * unconditional administrators of its project or above, each with its scope-wide coverage of the account. The
     * sources of the bindings on the project and above are the same for every account of the project, so
     * {@code cache} keeps them, with their checks, for the last project asked about.
     */
    List<AccountSource> accountSources(String permission, ServiceAccount account, ProjectSourceCache cache) {
        String resource = account.resourceName();
        String project = hierarchy.parentOf(resource);
        if (project == null) {
            return checkedSources(sourcesWith(permission, resource), resource, account.disabled());
        }
        Set<String> own = new LinkedHashSet<>();
        for (IndexedBinding binding : auth.bindingsGranting(permission, resource)) {
            for (Source source : sourcesOf(binding)) {
                own.add(source.principal());
            }
        }
        List<AccountSource> result = checkedSources(own, resource, account.disabled());
        for (AccountSource source : cache.sources(permission, project, account.disabled())) {
            if (!own.contains(source.principal())) {
                result.add(source);
            }
        }
        return result;
    }

    private List<AccountSource> checkedSources(Set<String> sources, String resource, boolean disabled) {
        List<AccountSource> result = new ArrayList<>();
        for (String source : sources) {
            if (unconditionalAdminOfAncestor(source, resource)) {
                continue;
            }
            if (disabled) {
                result.add(new AccountSource(source, Integer.MAX_VALUE, false));
                continue;
            }
            boolean minting = false;
            for (String level : hierarchy.ancestors(resource)) {
                minting |= scopeMintingOf(source).containsKey(level);
            }
            result.add(new AccountSource(source, bestScopeRank(source, resource), minting));
        }
        return result;
    }

    /**
     * The sources of the bindings on one project and above, per permission and disabled flag, for a phase that walks
     * the accounts project by project. A phase makes its own, because scope-wide steps added later change the ranks.
     */
    final class ProjectSourceCache {
        private final Map<String, String> projects = new HashMap<>();
        private final Map<String, List<AccountSource>> sources = new HashMap<>();

        List<AccountSource> sources(String permission, String project, boolean disabled) {
            String key = permission + (disabled ? "\u0000disabled" : "");
            if (!project.equals(projects.get(key))) {
                sources.put(key, checkedSources(sourcesWith(permission, project), project, disabled));
                projects.put(key, project);
            }
            return sources.get(key);
        }
    }

    Check check(String principal, String permission, String resource) {
        return Check.of(auth.decide(principals.parse(principal), permission, resource));
    }

    /** Checks every permission of {@code technique} checked on {@code on}, against {@code resource}. */
    Check checkAll(String principal, GcpTechnique technique, String on, String resource) {
        Check result = Check.YES;
        for (String permission : technique.permissionsOn(on)) {
            result = result.and(check(principal, permission, resource));
            if (!result.possible()) {
                return Check.NO;
            }
        }
        return result;
    }

    // ---- steps ----------------------------------------------------------------------------------------------------

    /** Records a step unless the pair already has a better one. Self-steps and impossible checks are dropped. */
    synchronized void offerStep(String source, String target, GcpTechnique technique, Check check) {
        if (source.equals(target) || !check.possible()) {
            return;
        }
        if (technique.conditional() != null) {
            check = check.conditionalBecause(technique.conditional());
        }
        String key = source + "\u0000" + target;
        Candidate existing = steps.get(key);
        Candidate offered = new Candidate(source, target, technique, check);
        if (existing == null || rank(offered) < rank(existing)) {
            steps.put(key, offered);
        }
    }

    /**
     * Tells whether a step from {@code source} to {@code target} was recorded already, by any technique, directly or
     * as a scope-wide step that covers the target.
     */
    synchronized boolean hasStep(String source, String target) {
        if (steps.containsKey(source + "\u0000" + target)) {
            return true;
        }
        Principal principal = principals.parse(target);
        ServiceAccount account = principal.kind() == Kind.SERVICE_ACCOUNT ? hierarchy.accountByEmail(principal.email()) : null;
        return account != null && !account.disabled() && bestScopeRank(source, account.resourceName()) < Integer.MAX_VALUE;
    }

    // ---- scope-wide steps -----------------------------------------------------------------------------------------

    /**
     * Records a step from {@code source} to every enabled service account below {@code scope}, unless the scope
     * already has an equal or better one. The caller has checked that the outcome is the same for every such
     * account.
     */
    synchronized void offerScopeStep(String source, String scope, GcpTechnique technique, Check check) {
        if (!check.possible()) {
            return;
        }
        if (technique.conditional() != null) {
            check = check.conditionalBecause(technique.conditional());
        }
        int rank = rank(technique, check.conditional());
        Map<String, ScopeCandidate> bySource = scopeSteps.computeIfAbsent(source, k -> new HashMap<>());
        ScopeCandidate existing = bySource.get(scope);
        if (existing == null || rank < existing.rank()) {
            bySource.put(scope, new ScopeCandidate(source, scope, technique, check, rank));
        }
    }

    /** Records that {@code source} can mint tokens of every enabled account below {@code scope}. */
    synchronized void offerScopeMinting(String source, String scope, Check check) {
        scopeMinting.computeIfAbsent(source, k -> new LinkedHashMap<>()).merge(scope, check,
                (a, b) -> a.conditional() && !b.conditional() ? b : a);
    }

    /** Returns the scopes below which {@code source} can mint tokens of every enabled account, with the check. */
    synchronized Map<String, Check> scopeMintingOf(String source) {
        return scopeMinting.getOrDefault(source, Map.of());
    }

    /**
     * Returns the best rank of the scope-wide steps from {@code source} whose scope is {@code resource} or one of
     * its ancestors, or {@link Integer#MAX_VALUE} when there is none.
     */
    synchronized int bestScopeRank(String source, String resource) {
        Map<String, ScopeCandidate> bySource = scopeSteps.get(source);
        if (bySource == null) {
            return Integer.MAX_VALUE;
        }
        int best = Integer.MAX_VALUE;
        for (String level : hierarchy.ancestors(resource)) {
            ScopeCandidate candidate = bySource.get(level);
            if (candidate != null) {
                best = Math.min(best, candidate.rank());
            }
        }
        return best;
    }

    /**
     * Returns the scope-wide steps, dropping one when a step at an ancestor scope from the same source ranks at
     * least as high, so that of the steps covering an account the nearest scope's is the best. Each lists the
     * scopes below it that the source administers unconditionally, whose accounts it does not cover.
     */
    List<GcpAnalysis.ScopeStep> finishScopeSteps() {
        Map<String, List<String>> administered = new HashMap<>();
        for (AdminGrant grant : admins.values()) {
            if (!grant.conditional()) {
                administered.computeIfAbsent(grant.principal(), k -> new ArrayList<>()).add(grant.scope());
            }
        }
        List<GcpAnalysis.ScopeStep> result = new ArrayList<>();
        for (Map<String, ScopeCandidate> bySource : scopeSteps.values()) {
            for (ScopeCandidate candidate : bySource.values()) {
                List<String> ancestors = hierarchy.ancestors(candidate.scope());
                boolean dominated = false;
                for (int i = 1; i < ancestors.size() && !dominated; i++) {
                    ScopeCandidate above = bySource.get(ancestors.get(i));
                    dominated = above != null && above.rank() <= candidate.rank();
                }
                if (dominated) {
                    continue;
                }
                List<String> except = new ArrayList<>();
                for (String scope : administered.getOrDefault(candidate.source(), List.of())) {
                    if (!scope.equals(candidate.scope()) && hierarchy.ancestors(scope).contains(candidate.scope())) {
                        except.add(scope);
                    }
                }
                Check check = fromDisabledAccount(candidate.source(), candidate.check());
                result.add(new GcpAnalysis.ScopeStep(candidate.source(), candidate.scope(),
                        candidate.technique().edgeKind(), candidate.technique().id(), check.conditional(),
                        check.evidence(), List.copyOf(except)));
            }
        }
        return result;
    }

    private int rank(Candidate candidate) {
        return rank(candidate.technique, candidate.check.conditional());
    }

    private int rank(GcpTechnique technique, boolean conditional) {
        int kind = "CAN_IMPERSONATE".equals(technique.edgeKind()) ? 0 : 1;
        return ((conditional ? 2 : 0) + kind) * 1000 + order.get(technique.id());
    }

    /** Returns the best rank a step by {@code technique} can have: unconditional unless the technique itself is not. */
    int bestPossibleRank(GcpTechnique technique) {
        return rank(technique, technique.conditional() != null);
    }

    /**
     * Returns the steps, after dropping those from a principal that is an unconditional administrator of a scope
     * holding the target (the admin grant already covers them) and those that a scope-wide step covers with an
     * equal or better rank, and marking those into disabled accounts.
     */
    List<Step> finishSteps() {
        List<Step> result = new ArrayList<>();
        for (Candidate candidate : steps.values()) {
            String targetResource = resourceOfPrincipal(candidate.target);
            if (targetResource != null && unconditionalAdminOfAncestor(candidate.source, targetResource)) {
                continue;
            }
            ServiceAccount targetAccount = targetResource == null ? null : hierarchy.accountByName(targetResource);
            if (targetAccount != null && !targetAccount.disabled()
                    && bestScopeRank(candidate.source, targetResource) <= rank(candidate)) {
                continue;
            }
            Check check = intoDisabledAccount(candidate);
            check = fromDisabledAccount(candidate.source, check);
            result.add(new Step(candidate.source, candidate.target, candidate.technique.edgeKind(),
                    candidate.technique.id(), check.conditional(), check.evidence()));
        }
        return result;
    }

    /**
     * Marks a step into a disabled account. Such an account cannot authenticate, so the step works only once someone
     * enables it. The step is kept, so that the path shows, and is conditional unless the source can enable the
     * account itself.
     */
    private Check intoDisabledAccount(Candidate candidate) {
        Principal target = principals.parse(candidate.target);
        if (target.kind() != Kind.SERVICE_ACCOUNT) {
            return candidate.check;
        }
        ServiceAccount account = hierarchy.accountByEmail(target.email());
        if (account == null || !account.disabled()) {
            return candidate.check;
        }
        Check enable = check(candidate.source, "iam.serviceAccounts.enable", account.resourceName());
        if (enable.value() == Tri.TRUE) {
            return candidate.check.and(enable).noting("The target account is disabled, but the source can enable it"
                    + " with iam.serviceAccounts.enable.");
        }
        return candidate.check.conditionalBecause("The target account is disabled, so its credentials work only after"
                + " someone enables it.");
    }

    private Check fromDisabledAccount(String source, Check check) {
        Principal principal = principals.parse(source);
        if (principal.kind() != Kind.SERVICE_ACCOUNT) {
            return check;
        }
        ServiceAccount account = hierarchy.accountByEmail(principal.email());
        if (account == null || !account.disabled()) {
            return check;
        }
        return check.noting("The source account is disabled and cannot authenticate until it is enabled.");
    }

    /**
     * Returns the resource a step target lies in: the account itself, the project of a service agent, or the project
     * of a workload identity pool's principal. Returns null when it lies in none.
     */
    String resourceOfPrincipal(String principalId) {
        Principal principal = principals.parse(principalId);
        if (principal.kind() == Kind.SERVICE_ACCOUNT) {
            ServiceAccount account = hierarchy.accountByEmail(principal.email());
            return account != null ? account.resourceName() : principal.accountProject();
        }
        for (String prefix : List.of("principal://iam.googleapis.com/projects/", "principalSet://iam.googleapis.com/projects/")) {
            if (principalId.startsWith(prefix)) {
                int end = principalId.indexOf('/', prefix.length());
                return end < 0 ? null : hierarchy.projectByIdOrNumber(principalId.substring(prefix.length(), end));
            }
        }
        return null;
    }

    // ---- admin grants ---------------------------------------------------------------------------------------------

    synchronized void offerAdmin(String principal, String scope, String via, Check check) {
        if (!check.possible()) {
            return;
        }
        String key = principal + "\u0000" + scope;
        AdminGrant existing = admins.get(key);
        boolean better = existing == null || (existing.conditional() && !check.conditional());
        if (better) {
            admins.put(key, new AdminGrant(principal, scope, check.conditional(), via, check.evidence()));
        }
    }

    boolean unconditionalAdminOfAncestor(String principal, String resource) {
        for (String level : hierarchy.ancestors(resource)) {
            AdminGrant grant = admins.get(principal + "\u0000" + level);
            if (grant != null && !grant.conditional()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the admin grants, dropping a grant on a scope when the principal is an unconditional administrator of
     * an ancestor, which implies it.
     */
    List<AdminGrant> finishAdmins() {
        List<AdminGrant> result = new ArrayList<>();
        for (AdminGrant grant : admins.values()) {
            boolean implied = false;
            List<String> ancestors = hierarchy.ancestors(grant.scope());
            for (int i = 1; i < ancestors.size() && !implied; i++) {
                AdminGrant above = admins.get(grant.principal() + "\u0000" + ancestors.get(i));
                implied = above != null && !above.conditional();
            }
            if (!implied) {
                Check check = fromDisabledAccount(grant.principal(), new Check(
                        grant.conditional() ? Tri.UNKNOWN : Tri.TRUE, grant.evidence()));
                result.add(new AdminGrant(grant.principal(), grant.scope(), grant.conditional(), grant.via(),
                        check.evidence()));
            }
        }
        return result;
    }
}
