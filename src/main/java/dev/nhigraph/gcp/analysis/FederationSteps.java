package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory.Resource;
import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.GcpNames;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives the steps into workload identity pools: a caller that can become an identity of a pool can act as every
 * {@code principal://} and {@code principalSet://} of that pool that a binding names. The steps from those pool
 * principals onwards, such as {@code roles/iam.workloadIdentityUser} on an account, come from the other phases,
 * because the pool principals are binding members like any other.
 *
 * <p>Pools are found in the members of bindings. GKE's Workload Identity pools ({@code PROJECT.svc.id.goog}) are
 * left out: their identities are Kubernetes service accounts, which no provider change or Google ID token reaches.
 */
final class FederationSteps {

    private static final Pattern POOL_MEMBER = Pattern.compile(
            "^principal(?:Set)?://iam\\.googleapis\\.com/(projects/[^/]+/locations/[^/]+/workloadIdentityPools/([^/]+))/.*");

    private final Derivation derivation;

    FederationSteps(Derivation derivation) {
        this.derivation = derivation;
    }

    void run(Set<String> membersInBindings, List<ServiceAccount> accounts) {
        Map<String, Set<String>> pools = pools(membersInBindings);
        if (pools.isEmpty()) {
            return;
        }
        for (GcpTechnique technique : derivation.techniques("federation-token")) {
            byIdToken(technique, pools, accounts);
        }
        for (GcpTechnique technique : derivation.techniques("federation-provider")) {
            byProvider(technique, pools);
        }
    }

    /** Returns each pool's canonical name with the pool principals that bindings name. */
    private Map<String, Set<String>> pools(Set<String> members) {
        Map<String, Set<String>> pools = new LinkedHashMap<>();
        for (String member : members) {
            Matcher matcher = POOL_MEMBER.matcher(member);
            if (!matcher.matches() || matcher.group(2).endsWith(".svc.id.goog")) {
                continue;
            }
            String pool = GcpNames.canonical("//iam.googleapis.com/" + matcher.group(1),
                    derivation.hierarchy.projectNumbersView(), Map.of());
            pools.computeIfAbsent(pool, k -> new LinkedHashSet<>()).add(member);
        }
        return pools;
    }

    /** Steps from callers that can mint a Google-signed ID token of some account, which they may present to any pool. */
    private void byIdToken(GcpTechnique technique, Map<String, Set<String>> pools, List<ServiceAccount> accounts) {
        String permission = technique.permissionsOn("any-service-account").get(0);
        Map<String, Check> holders = new LinkedHashMap<>();
        for (ServiceAccount account : accounts) {
            for (String source : derivation.sourcesWith(permission, account.resourceName())) {
                Check known = holders.get(source);
                if (known != null && !known.conditional()) {
                    continue;
                }
                Check check = derivation.check(source, permission, account.resourceName());
                if (check.possible() && (known == null || !check.conditional())) {
                    holders.put(source, check);
                }
            }
        }
        holders.forEach((source, check) -> pools.values().forEach(members -> members.forEach(member ->
                derivation.offerStep(source, member, technique, check))));
    }

    /** Steps from callers that can add or change a pool's provider, and so control which identities the pool issues. */
    private void byProvider(GcpTechnique technique, Map<String, Set<String>> pools) {
        for (Map.Entry<String, Set<String>> pool : pools.entrySet()) {
            if (technique.workload() != null && !hasProvider(pool.getKey())) {
                continue;
            }
            String permission = technique.permissionsOn("pool").get(0);
            for (String source : derivation.sourcesWith(permission, pool.getKey())) {
                if (derivation.unconditionalAdminOfAncestor(source, pool.getKey())) {
                    continue;
                }
                Check check = derivation.checkAll(source, technique, "pool", pool.getKey());
                for (String member : pool.getValue()) {
                    derivation.offerStep(source, member, technique, check);
                }
            }
        }
    }

    private boolean hasProvider(String pool) {
        String project = derivation.hierarchy.projectOf(pool);
        if (project == null) {
            return false;
        }
        for (Resource provider : derivation.hierarchy.resourcesInProject(project,
                Set.of("iam.googleapis.com/WorkloadIdentityPoolProvider"))) {
            if (pool.equals(provider.parent()) || provider.name().startsWith(pool + "/providers/")) {
                return true;
            }
        }
        return false;
    }
}
