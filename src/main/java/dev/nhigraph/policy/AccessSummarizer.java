package dev.nhigraph.policy;

import dev.nhigraph.policy.PolicySet.GrantingPolicy;
import dev.nhigraph.policy.eval.CompiledCondition;
import dev.nhigraph.policy.eval.ConditionContext;
import dev.nhigraph.policy.eval.ConditionEvaluator;
import dev.nhigraph.policy.eval.Tri;
import dev.nhigraph.policy.PrincipalAccess.ServiceAccess;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Expands a principal's policies into the actions of the AWS catalogue they allow, for the blast radius.
 *
 * <p>Actions are bits of a {@link BitSet} indexed by catalogue position, so that NotAction and {@code *}
 * (about 21,000 actions) cost a few hundred machine words, not a set of strings. The expansion of each Action or
 * NotAction list is computed once and shared by every statement and principal that has the same list.
 *
 * <p>Conditions are evaluated against what is known of the principal (its ARN, account, tags, type): a
 * statement whose condition is false for this principal is left out, one whose condition depends on the request
 * makes its actions conditional. A Deny removes an action only when it covers every resource and its condition
 * holds; a Deny on some resources is listed in the evidence and leaves the action counted. A permissions
 * boundary removes the actions it does not allow at all, and so do the SCPs of the principal's account, level by
 * level from the organization root.
 *
 * <p>Thread-safe: the cache is concurrent and cached bit sets are never modified.
 */
public final class AccessSummarizer {

    private final ActionCatalog catalog;
    private final List<ActionCatalog.Action> actions;
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final Map<ActionList, BitSet> expansions = new ConcurrentHashMap<>();
    /** The catalogue's service prefixes in name order. A summary counts by their positions instead of map lookups. */
    private final String[] serviceNames;
    private final int[] serviceOfAction;
    private final AccessLevel[] levelOfAction;

    private final Map<ConditionKey, CompiledCondition> conditions = new ConcurrentHashMap<>();

    /** The key of the condition cache: equal Condition blocks compile to the same matcher. */
    private record ConditionKey(com.fasterxml.jackson.databind.JsonNode block, boolean policyVariables) {
    }

    /** The key of the expansion cache: what a statement's actions are, regardless of the rest of it. */
    private record ActionList(List<String> patterns, boolean notAction) {
    }

    public AccessSummarizer(ActionCatalog catalog) {
        this.catalog = catalog;
        this.actions = catalog.all();
        for (int i = 0; i < actions.size(); i++) {
            indexByName.put(actions.get(i).fullName().toLowerCase(Locale.ROOT), i);
        }
        this.serviceNames = actions.stream().map(ActionCatalog.Action::service).distinct().sorted().toArray(String[]::new);
        Map<String, Integer> serviceNumbers = new HashMap<>();
        for (int i = 0; i < serviceNames.length; i++) {
            serviceNumbers.put(serviceNames[i], i);
        }
        this.serviceOfAction = new int[actions.size()];
        this.levelOfAction = new AccessLevel[actions.size()];
        for (int i = 0; i < actions.size(); i++) {
            serviceOfAction[i] = serviceNumbers.get(actions.get(i).service());
            levelOfAction[i] = actions.get(i).accessLevel();
        }
    }

    /** Summarises what {@code policies} allow, with every condition unresolved and no SCP. */
    public PrincipalAccess summarize(PolicySet policies) {
        return summarize(policies, ConditionContext.UNKNOWN, List.of());
    }

    /**
     * Summarises what {@code policies} allow for a principal whose known condition keys are in {@code context},
     * under the SCPs in {@code scpLevels} (one list per level from the organization root; empty when none apply).
     */
    public PrincipalAccess summarize(PolicySet policies, ConditionContext context, List<List<Policy>> scpLevels) {
        BitSet allowed = new BitSet(actions.size());
        BitSet conditional = new BitSet(actions.size());
        BitSet allowedOnAllResources = new BitSet(actions.size());
        Set<String> unknownActions = new TreeSet<>();
        Map<String, List<Evidence>> evidenceByService = new TreeMap<>();
        Map<String, Set<String>> resourcesByService = new TreeMap<>();

        BitSet deniedEverywhere = new BitSet(actions.size());
        BitSet deniedUnderCondition = new BitSet(actions.size());
        List<GrantingPolicy> partialDenies = new ArrayList<>();
        for (GrantingPolicy granting : policies.identityPolicies()) {
            for (Statement statement : granting.policy().statements()) {
                if (statement.allow()) {
                    continue;
                }
                Tri holds = condition(granting.policy(), statement, context);
                if (holds == Tri.FALSE) {
                    continue;
                }
                if (holds == Tri.UNKNOWN) {
                    deniedUnderCondition.or(expand(statement, null));
                } else if (statement.coversAllResources()) {
                    deniedEverywhere.or(expand(statement, null));
                } else {
                    partialDenies.add(granting);
                }
            }
        }
        BitSet boundaryAllows = policies.boundary() == null ? null : boundaryAllows(policies.boundary(), context);
        BitSet scpAllows = scpLevels.isEmpty() ? null : scpAllows(scpLevels, context);

        for (GrantingPolicy granting : policies.identityPolicies()) {
            for (Statement statement : granting.policy().statements()) {
                if (!statement.allow()) {
                    continue;
                }
                Tri holds = condition(granting.policy(), statement, context);
                if (holds == Tri.FALSE) {
                    continue;
                }
                BitSet granted = (BitSet) expand(statement, unknownActions).clone();
                granted.andNot(deniedEverywhere);
                if (boundaryAllows != null) {
                    granted.and(boundaryAllows);
                }
                if (scpAllows != null) {
                    granted.and(scpAllows);
                }
                if (granted.isEmpty()) {
                    continue;
                }
                if (holds == Tri.UNKNOWN) {
                    conditional.or(granted);
                } else {
                    allowed.or(granted);
                    if (statement.coversAllResources()) {
                        allowedOnAllResources.or(granted);
                    }
                }
                Evidence evidence = Evidence.of(granting.policy(), granting.via(), statement, null, null);
                for (String service : servicesOf(granted)) {
                    evidenceByService.computeIfAbsent(service, s -> new ArrayList<>()).add(evidence);
                    resourcesByService.computeIfAbsent(service, s -> new LinkedHashSet<>()).addAll(
                            statement.resources().isEmpty() ? List.of("*") : evidence.resources());
                }
            }
        }

        // A conditional Deny does not remove an action, but the grant then depends on the request.
        BitSet limitedByCondition = (BitSet) allowed.clone();
        limitedByCondition.and(deniedUnderCondition);
        allowed.andNot(limitedByCondition);
        conditional.or(limitedByCondition);
        conditional.andNot(allowed);
        addDenyEvidence(policies, evidenceByService, partialDenies, allowed, conditional);

        boolean admin = allowedOnAllResources.cardinality() == actions.size()
                && !limitedByCondition.intersects(allowedOnAllResources);
        return new PrincipalAccess(allowed, conditional, admin,
                serviceAccess(allowed, conditional, evidenceByService, resourcesByService), unknownActions);
    }

    /** Returns the catalogue entry at {@code index}. */
    public ActionCatalog.Action action(int index) {
        return actions.get(index);
    }

    public int catalogSize() {
        return actions.size();
    }

    /** Returns the number of services in the action catalogue, which an administrator may all act on. */
    public int serviceCount() {
        return catalog.services().size();
    }

    /** Returns the actions a limiting policy (boundary or SCP) allows on some resource, unless it denies them everywhere. */
    private BitSet boundaryAllows(Policy boundary, ConditionContext context) {
        BitSet allows = new BitSet(actions.size());
        BitSet denies = new BitSet(actions.size());
        addLimits(boundary, context, allows, denies);
        allows.andNot(denies);
        return allows;
    }

    /**
     * Returns the actions allowed at every SCP level and denied by none; a level without policies allows nothing.
     * A Deny in one SCP removes the action whatever another SCP of the same level allows.
     */
    private BitSet scpAllows(List<List<Policy>> levels, ConditionContext context) {
        BitSet allowed = new BitSet(actions.size());
        allowed.set(0, actions.size());
        BitSet denied = new BitSet(actions.size());
        for (List<Policy> level : levels) {
            BitSet levelAllows = new BitSet(actions.size());
            for (Policy scp : level) {
                addLimits(scp, context, levelAllows, denied);
            }
            allowed.and(levelAllows);
        }
        allowed.andNot(denied);
        return allowed;
    }

    private void addLimits(Policy policy, ConditionContext context, BitSet allows, BitSet denies) {
        for (Statement statement : policy.statements()) {
            Tri holds = condition(policy, statement, context);
            if (holds == Tri.FALSE) {
                continue;
            }
            if (statement.allow()) {
                allows.or(expand(statement, null));
            } else if (holds == Tri.TRUE && statement.coversAllResources()) {
                denies.or(expand(statement, null));
            }
        }
    }

    /** Evaluates a statement's Condition for the principal; TRUE when it has none. */
    private Tri condition(Policy policy, Statement statement, ConditionContext context) {
        if (!statement.conditional()) {
            return Tri.TRUE;
        }
        ConditionKey key = new ConditionKey(statement.condition(), policy.policyVariables());
        CompiledCondition compiled = conditions.computeIfAbsent(key, k -> ConditionEvaluator.compile(k.block(), k.policyVariables()));
        return compiled.evaluate(context).value();
    }

    private void addDenyEvidence(PolicySet policies, Map<String, List<Evidence>> evidenceByService,
                                 List<GrantingPolicy> partialDenies, BitSet allowed, BitSet conditional) {
        BitSet reachable = (BitSet) allowed.clone();
        reachable.or(conditional);
        for (GrantingPolicy granting : policies.identityPolicies()) {
            for (Statement statement : granting.policy().statements()) {
                if (statement.allow()) {
                    continue;
                }
                BitSet denied = (BitSet) expand(statement, null).clone();
                denied.and(reachable);
                String note = statement.conditional() ? "Deny under a condition: the actions are allowed only when it does not match"
                        : partialDenies.contains(granting) && !statement.coversAllResources()
                        ? "Deny on some resources: the actions stay allowed on the others" : null;
                if (note == null) {
                    continue;
                }
                Evidence evidence = Evidence.of(granting.policy(), granting.via(), statement, null, note);
                for (String service : servicesOf(denied)) {
                    List<Evidence> list = evidenceByService.get(service);
                    if (list != null) {
                        list.add(evidence);
                    }
                }
            }
        }
    }

    private Map<String, ServiceAccess> serviceAccess(BitSet allowed, BitSet conditional,
                                                     Map<String, List<Evidence>> evidenceByService,
                                                     Map<String, Set<String>> resourcesByService) {
        AccessLevel[] levels = AccessLevel.values();
        int[][] counts = new int[serviceNames.length][levels.length];
        boolean[] unconditional = new boolean[serviceNames.length];
        boolean[] counted = new boolean[serviceNames.length];
        for (int i = allowed.nextSetBit(0); i >= 0; i = allowed.nextSetBit(i + 1)) {
            counts[serviceOfAction[i]][levelOfAction[i].ordinal()]++;
            unconditional[serviceOfAction[i]] = true;
            counted[serviceOfAction[i]] = true;
        }
        for (int i = conditional.nextSetBit(0); i >= 0; i = conditional.nextSetBit(i + 1)) {
            counts[serviceOfAction[i]][levelOfAction[i].ordinal()]++;
            counted[serviceOfAction[i]] = true;
        }

        Map<String, ServiceAccess> services = new TreeMap<>();
        for (int number = 0; number < serviceNames.length; number++) {
            if (!counted[number]) {
                continue;
            }
            EnumMap<AccessLevel, Integer> byLevel = new EnumMap<>(AccessLevel.class);
            for (AccessLevel level : levels) {
                if (counts[number][level.ordinal()] > 0) {
                    byLevel.put(level, counts[number][level.ordinal()]);
                }
            }
            String service = serviceNames[number];
            services.put(service, new ServiceAccess(byLevel, !unconditional[number],
                    resourcesByService.getOrDefault(service, Set.of()),
                    List.copyOf(evidenceByService.getOrDefault(service, List.of()))));
        }
        return services;
    }

    /** Returns the services, in name order, that have an action in {@code bits}. */
    private List<String> servicesOf(BitSet bits) {
        boolean[] present = new boolean[serviceNames.length];
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            present[serviceOfAction[i]] = true;
        }
        List<String> services = new ArrayList<>();
        for (int number = 0; number < serviceNames.length; number++) {
            if (present[number]) {
                services.add(serviceNames[number]);
            }
        }
        return services;
    }

    /** Returns the catalogue actions a statement's Action or NotAction covers; records unknown literal names. */
    private BitSet expand(Statement statement, Set<String> unknownActions) {
        ActionList key = new ActionList(statement.actions(), statement.notAction());
        BitSet cached = expansions.get(key);
        if (cached == null) {
            cached = new BitSet(actions.size());
            for (String pattern : statement.actions()) {
                if (!Wildcards.hasWildcard(pattern)) {
                    Integer index = indexByName.get(pattern.toLowerCase(Locale.ROOT));
                    if (index != null) {
                        cached.set(index);
                    }
                    continue;
                }
                for (ActionCatalog.Action action : catalog.match(pattern)) {
                    cached.set(indexByName.get(action.fullName().toLowerCase(Locale.ROOT)));
                }
            }
            if (statement.notAction()) {
                cached.flip(0, actions.size());
            }
            expansions.put(key, cached);
        }
        if (unknownActions != null && !statement.notAction()) {
            for (String pattern : statement.actions()) {
                if (!Wildcards.hasWildcard(pattern) && !indexByName.containsKey(pattern.toLowerCase(Locale.ROOT))) {
                    unknownActions.add(pattern);
                }
            }
        }
        return cached;
    }
}
