package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpInventory.Binding;
import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.GcpInventory.ServiceAccountKey;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.GcpRoleCatalog;
import dev.nhigraph.gcp.analysis.AdminDerivation.IndexedCustomRole;
import dev.nhigraph.policy.Evidence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives, from a GCP inventory, the single steps by which one principal can act as a service account
 * ({@code CAN_IMPERSONATE}, {@code CAN_ESCALATE}), the principals that administer an organization, folder or
 * project, and what principals can do to the resources below the containers. Chains of steps are left to path
 * search.
 *
 * <p>The techniques come from {@link GcpTechniqueCatalog}; docs/gcp-escalation-techniques.md describes how each
 * category is derived and the choices made: one step per source and target, no steps from an unconditional
 * administrator into its own scope, steps into disabled accounts kept but conditional, delegation chains resolved
 * to their final target, and workloads of unknown account handled as {@link WorkloadSteps} explains.
 *
 * <p>Cost: every candidate comes from the bindings that grant a technique's key permission, looked up by
 * permission and resource, so the work grows with the source-target pairs the inventory allows, not with all
 * principals times all resources. Where a container-level binding gives the same step to every account below,
 * {@link ScopeSteps} stores one step to the container, and convenience members keep one access entry each, so
 * the output grows with the bindings rather than with the pairs.
 */
public final class GcpAnalysis {

    private static final Logger LOG = LoggerFactory.getLogger(GcpAnalysis.class);

    private GcpAnalysis() {
    }

    /**
     * Everything derived from one inventory.
     *
     * @param directSteps      the single steps between principals, except those that a scope-wide step covers
     * @param scopeSteps       the steps from a principal to every enabled service account below a scope
     * @param admins           the administrators of organizations, folders and projects
     * @param access           the access of principals to resources through those resources' own allow policies; a
     *                         convenience member such as {@code projectEditor:P} has entries that stand for each
     *                         holder in {@code memberSets} without an entry of its own on the same resource
     * @param memberSets       the convenience members with access entries, each with the principals it includes and
     *                         the bindings that make each one a holder
     * @param warnings         gaps that did not stop the analysis, each once, such as roles missing from the bundle
     * @param accountAncestors the ancestors of each enabled service account (by member), nearest first, which
     *                         {@link #steps()} uses to expand the scope-wide steps
     */
    public record Result(List<Step> directSteps, List<ScopeStep> scopeSteps, List<AdminGrant> admins,
                         List<Access> access, Map<String, Map<String, List<Evidence>>> memberSets,
                         List<String> warnings, Map<String, List<String>> accountAncestors) {

        /** Returns a result with the given direct steps and access entries, and no scope-wide step or member set. */
        public Result(List<Step> steps, List<AdminGrant> admins, List<Access> access, List<String> warnings) {
            this(steps, List.of(), admins, access, Map.of(), warnings, Map.of());
        }

        /**
         * Returns every single step, with each scope-wide step expanded into one step per enabled service account
         * below its scope, the steps that path search walks. Of several steps between one pair, a direct step wins over a
         * scope-wide one, and a nearer scope over a farther one, because the analysis keeps only those that rank
         * higher. Builds the list on each call: a large organization has millions of expanded steps.
         */
        public List<Step> steps() {
            if (scopeSteps.isEmpty()) {
                return directSteps;
            }
            Set<String> direct = new HashSet<>();
            directSteps.forEach(step -> direct.add(step.source() + "\u0000" + step.target()));
            Map<String, List<String>> accountsBelow = new HashMap<>();
            accountAncestors.forEach((account, ancestors) -> ancestors.forEach(scope ->
                    accountsBelow.computeIfAbsent(scope, k -> new ArrayList<>()).add(account)));
            Map<String, ScopeStep> nearest = new LinkedHashMap<>();
            Map<String, Integer> distance = new HashMap<>();
            for (ScopeStep scoped : scopeSteps) {
                for (String account : accountsBelow.getOrDefault(scoped.scope(), List.of())) {
                    String pair = scoped.source() + "\u0000" + account;
                    List<String> ancestors = accountAncestors.get(account);
                    int at = ancestors.indexOf(scoped.scope());
                    boolean excepted = scoped.exceptScopes().stream().anyMatch(ancestors::contains);
                    if (account.equals(scoped.source()) || excepted || direct.contains(pair)
                            || distance.getOrDefault(pair, Integer.MAX_VALUE) <= at) {
                        continue;
                    }
                    nearest.put(pair, scoped);
                    distance.put(pair, at);
                }
            }
            List<Step> all = new ArrayList<>(directSteps);
            nearest.forEach((pair, scoped) -> all.add(new Step(scoped.source(), pair.substring(pair.indexOf('\u0000') + 1),
                    scoped.kind(), scoped.technique(), scoped.conditional(), scoped.evidence())));
            return all;
        }
    }

    /**
     * One step. {@code kind} is {@code CAN_IMPERSONATE} when the source can obtain the target account's credentials
     * or tokens, and {@code CAN_ESCALATE} when it can act as the target by another technique, such as attaching it to
     * a workload or changing its allow policy. {@code source} and {@code target} are principal identifiers as IAM
     * writes members; a target may also be a service agent or a workload identity pool principal.
     */
    public record Step(String source, String target, String kind, String technique, boolean conditional,
                       List<Evidence> evidence) {
    }

    /**
     * A step from {@code source} to every enabled service account below {@code scope}, an organization, folder or
     * project, except those below {@code exceptScopes}, which the source administers unconditionally. The analysis
     * makes one only when the outcome is the same for every such account. So a binding without a condition on the
     * scope or above it must grant every permission the technique checks against the account, and no deny rule may be
     * attached at, above or below the scope. Disabled accounts get direct steps instead.
     */
    public record ScopeStep(String source, String scope, String kind, String technique, boolean conditional,
                            List<Evidence> evidence, List<String> exceptScopes) {
    }

    /**
     * A principal that administers {@code scope}, the canonical full name of an organization, folder or project.
     * {@code via} is {@code "binding"} when it has the scope's setIamPolicy permission, else the id of the technique
     * that makes it one. An administrator of a scope also administers everything below it; grants implied that way
     * are not repeated.
     */
    public record AdminGrant(String principal, String scope, boolean conditional, String via, List<Evidence> evidence) {
    }

    /**
     * The access of a principal to a resource below the containers, from the resource's own allow policy.
     * {@code accessLevels} are List, Read, Write, Permissions management and Tagging, from the permission verbs.
     */
    public record Access(String principal, String resource, List<String> accessLevels, int permissionCount,
                         boolean conditional, List<Evidence> evidence) {
    }

    /**
     * A default service account that has {@code roles/editor}.
     *
     * @param kind {@code compute} for {@code PROJECT_NUMBER-compute@developer.gserviceaccount.com} or
     *             {@code app-engine} for {@code PROJECT_ID@appspot.gserviceaccount.com}
     * @param conditional whether every binding that grants the role has a condition
     */
    public record DefaultAccountWithEditor(String email, String projectId, String kind, boolean conditional,
                                           List<String> bindingResources) {
    }

    /** The user-managed keys of an account: all of them, and those that are not disabled. */
    public record UserManagedKeys(int total, int enabled) {
    }

    /** Derives with no knowledge of which accounts workloads run as; see {@link AttachedAccounts}. */
    public static Result derive(GcpInventory inventory, GcpRoleCatalog predefined, Instant snapshotTime) {
        return derive(inventory, predefined, snapshotTime, AttachedAccounts.none());
    }

    /**
     * Derives steps, administrators and resource access.
     *
     * @param predefined   the predefined roles; the inventory's custom roles are added to them
     * @param snapshotTime the time at which {@code request.time} conditions are decided
     * @param attached     the accounts that existing workloads run as, where known
     */
    public static Result derive(GcpInventory inventory, GcpRoleCatalog predefined, Instant snapshotTime,
                                AttachedAccounts attached) {
        return derive(inventory, predefined, snapshotTime, attached, true);
    }

    /**
     * Derives as {@link #derive(GcpInventory, GcpRoleCatalog, Instant, AttachedAccounts)} does. With
     * {@code compact} false every step is derived per account and every holder of a convenience member gets its own
     * access entries, which tests use as the reference that the expanded compact output must match.
     */
    static Result derive(GcpInventory inventory, GcpRoleCatalog predefined, Instant snapshotTime,
                         AttachedAccounts attached, boolean compact) {
        long started = System.nanoTime();
        GcpAuthorization auth = new GcpAuthorization(inventory, predefined, snapshotTime);
        Derivation derivation = new Derivation(auth, GcpTechniqueCatalog.loadDefault(), attached);
        List<ServiceAccount> accounts = inventory.serviceAccounts();
        Set<String> members = membersInBindings(inventory.bindings());
        List<IndexedCustomRole> customRoles = new ArrayList<>();
        for (GcpInventory.Role role : inventory.customRoles()) {
            IndexedCustomRole indexed = IndexedCustomRole.of(role);
            if (indexed != null) {
                customRoles.add(indexed);
            }
        }
        PhaseClock clock = new PhaseClock(started);
        clock.lap("index");

        new AdminDerivation(derivation).run(customRoles);
        clock.lap("admins");

        if (compact) {
            new ScopeSteps(derivation).run();
        }
        clock.lap("scope-wide steps");

        new AccountSteps(derivation).run(accounts);
        clock.lap("account steps");

        new WorkloadSteps(derivation, members).run(accounts, projects(inventory, auth.hierarchy()));
        clock.lap("workload steps");

        new FederationSteps(derivation).run(members, accounts);
        clock.lap("federation steps");

        ResourceAccess resourceAccess = new ResourceAccess(derivation, compact);
        List<Access> access = resourceAccess.run();
        clock.lap("resource access");

        Result result = new Result(derivation.finishSteps(), derivation.finishScopeSteps(), derivation.finishAdmins(),
                access, resourceAccess.memberSets(), derivation.warnings(), enabledAccountAncestors(accounts, auth.hierarchy()));
        clock.lap("finish");
        LOG.info("GCP analysis: {} direct and {} scope-wide steps, {} admin grants, {} access entries, {} warnings from"
                        + " {} accounts and {} bindings in {} ms ({})", result.directSteps().size(),
                result.scopeSteps().size(), result.admins().size(), result.access().size(), result.warnings().size(),
                accounts.size(), inventory.bindings().size(), clock.totalMillis(), clock);
        return result;
    }

    /** The duration of each phase of one derivation, for the log line. */
    private static final class PhaseClock {
        private final long started;
        private long last;
        private final StringBuilder laps = new StringBuilder();

        PhaseClock(long started) {
            this.started = started;
            this.last = started;
        }

        void lap(String phase) {
            long now = System.nanoTime();
            laps.append(laps.isEmpty() ? "" : ", ").append(phase).append(' ').append((now - last) / 1_000_000).append(" ms");
            last = now;
        }

        long totalMillis() {
            return (last - started) / 1_000_000;
        }

        @Override
        public String toString() {
            return laps.toString();
        }
    }

    /** Returns the ancestors of each enabled account, by member, nearest first and without the account itself. */
    private static Map<String, List<String>> enabledAccountAncestors(List<ServiceAccount> accounts, Hierarchy hierarchy) {
        Map<String, List<String>> result = new HashMap<>();
        for (ServiceAccount account : accounts) {
            if (!account.disabled()) {
                List<String> chain = hierarchy.ancestors(account.resourceName());
                result.put(account.member(), chain.subList(1, chain.size()));
            }
        }
        return result;
    }

    private static Set<String> membersInBindings(List<Binding> bindings) {
        Set<String> members = new HashSet<>();
        for (Binding binding : bindings) {
            members.addAll(binding.members());
        }
        return members;
    }

    /** Returns every project the inventory names: as a resource, as a parent, or as an account's project. */
    private static List<String> projects(GcpInventory inventory, Hierarchy hierarchy) {
        Set<String> projects = new LinkedHashSet<>();
        for (GcpInventory.Resource resource : inventory.resources()) {
            String project = hierarchy.projectOf(resource.name());
            if (project != null) {
                projects.add(project);
            }
        }
        for (ServiceAccount account : inventory.serviceAccounts()) {
            projects.add(GcpNames.projectName(account.projectId()));
        }
        return List.copyOf(projects);
    }

    /**
     * Returns the default accounts that have {@code roles/editor} on their project or an ancestor: the Compute Engine
     * default account {@code PROJECT_NUMBER-compute@developer.gserviceaccount.com} and the App Engine default
     * account {@code PROJECT_ID@appspot.gserviceaccount.com}. Projects used to grant them Editor when they were
     * created, so any principal that can act as one of them is an editor of the project. Conditions are not
     * evaluated here: an account whose every Editor binding has one is marked conditional.
     */
    public static List<DefaultAccountWithEditor> defaultAccountsWithEditor(GcpInventory inventory) {
        Hierarchy hierarchy = new Hierarchy(inventory);
        Map<String, String[]> defaults = new LinkedHashMap<>();
        for (Map.Entry<String, String> project : inventory.projectNumbers().entrySet()) {
            defaults.put(project.getKey() + "-compute@developer.gserviceaccount.com",
                    new String[] {project.getValue(), "compute"});
        }
        for (ServiceAccount account : inventory.serviceAccounts()) {
            if (account.email().equals(account.projectId() + "@appspot.gserviceaccount.com")) {
                defaults.put(account.email(), new String[] {account.projectId(), "app-engine"});
            } else if (account.email().endsWith("-compute@developer.gserviceaccount.com")) {
                defaults.putIfAbsent(account.email(), new String[] {account.projectId(), "compute"});
            }
        }

        // Default accounts are often missing from the account list but named in bindings.
        Map<String, List<Binding>> editorBindings = new HashMap<>();
        for (Binding binding : inventory.bindings()) {
            if (!binding.role().equals("roles/editor")) {
                continue;
            }
            for (String member : binding.members()) {
                if (!member.startsWith("serviceAccount:")) {
                    continue;
                }
                String email = member.substring("serviceAccount:".length());
                editorBindings.computeIfAbsent(email, k -> new ArrayList<>()).add(binding);
                String suffix = "@appspot.gserviceaccount.com";
                if (email.endsWith(suffix)) {
                    defaults.putIfAbsent(email, new String[] {email.substring(0, email.length() - suffix.length()),
                            "app-engine"});
                }
            }
        }

        List<DefaultAccountWithEditor> result = new ArrayList<>();
        defaults.forEach((email, projectAndKind) -> {
            List<String> ancestors = hierarchy.ancestors(GcpNames.projectName(projectAndKind[0]));
            List<String> where = new ArrayList<>();
            boolean unconditional = false;
            for (Binding binding : editorBindings.getOrDefault(email, List.of())) {
                if (ancestors.contains(binding.resource())) {
                    where.add(binding.resource());
                    unconditional |= binding.condition() == null;
                }
            }
            if (!where.isEmpty()) {
                result.add(new DefaultAccountWithEditor(email, projectAndKind[0], projectAndKind[1], !unconditional,
                        List.copyOf(where)));
            }
        });
        return result;
    }

    /** Returns, for each account with user-managed keys, how many it has and how many are not disabled. */
    public static Map<String, UserManagedKeys> userManagedKeyCounts(GcpInventory inventory) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (ServiceAccountKey key : inventory.keys()) {
            if (!key.userManaged()) {
                continue;
            }
            int[] count = counts.computeIfAbsent(key.serviceAccountEmail(), k -> new int[2]);
            count[0]++;
            if (!key.disabled()) {
                count[1]++;
            }
        }
        Map<String, UserManagedKeys> result = new LinkedHashMap<>();
        counts.forEach((email, count) -> result.put(email, new UserManagedKeys(count[0], count[1])));
        return result;
    }
}
