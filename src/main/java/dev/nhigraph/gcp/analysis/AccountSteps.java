package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives the steps that act on a service account directly: minting its tokens or keys ({@code credential}),
 * changing its allow policy ({@code account-policy}) and acting through it in a delegation chain
 * ({@code delegation}).
 *
 * <p>Delegation: a request for a token of C that names delegates B1..Bn succeeds when the caller has
 * {@code iam.serviceAccounts.implicitDelegation} on B1, each Bi has it on the next, and Bn can mint tokens for C
 * (getAccessToken, signBlob or signJwt). So the caller gets a step to C, not to the delegates: implicitDelegation
 * alone yields no token of B. Chains are followed up to {@value #MAX_DELEGATES} delegates.
 */
final class AccountSteps {

    static final int MAX_DELEGATES = 10;

    /** The permissions with which the last delegate of a chain mints a token for the target. */
    private static final Set<String> MINTING = Set.of("iam.serviceAccounts.getAccessToken",
            "iam.serviceAccounts.signBlob", "iam.serviceAccounts.signJwt");

    private final Derivation derivation;
    /** For each source, the targets it can mint tokens for, with the best check. */
    private final Map<String, Map<String, Check>> minting = new HashMap<>();

    AccountSteps(Derivation derivation) {
        this.derivation = derivation;
    }

    void run(List<ServiceAccount> accounts) {
        List<GcpTechnique> direct = new ArrayList<>(derivation.techniques("credential"));
        direct.addAll(derivation.techniques("account-policy"));
        for (GcpTechnique technique : direct) {
            for (ServiceAccount account : accounts) {
                onAccount(technique, account);
            }
        }
        for (GcpTechnique technique : derivation.techniques("delegation")) {
            delegation(technique, accounts);
        }
    }

    private void onAccount(GcpTechnique technique, ServiceAccount account) {
        List<String> permissions = technique.permissionsOn("target");
        boolean mints = technique.category().equals("credential") && MINTING.containsAll(permissions);
        String resource = account.resourceName();
        for (String source : derivation.sourcesWith(permissions.get(0), resource)) {
            if (derivation.unconditionalAdminOfAncestor(source, resource)) {
                continue;
            }
            Check check = derivation.checkAll(source, technique, "target", resource);
            if (!check.possible()) {
                continue;
            }
            derivation.offerStep(source, account.member(), technique, check);
            if (mints) {
                minting.computeIfAbsent(source, k -> new LinkedHashMap<>()).merge(account.member(), check,
                        (a, b) -> a.conditional() && !b.conditional() ? b : a);
            }
        }
    }

    /** One delegate of a chain, the check of the links up to it, and its position in the chain from 1. */
    private record Hop(String delegate, Check soFar, int depth) {
    }

    private void delegation(GcpTechnique technique, List<ServiceAccount> accounts) {
        String permission = technique.permissionsOn("delegate").get(0);

        // Phase 1: which caller has implicitDelegation on which delegate.
        Map<String, Map<String, Check>> delegates = new HashMap<>();
        for (ServiceAccount delegate : accounts) {
            for (String source : derivation.sourcesWith(permission, delegate.resourceName())) {
                Check check = derivation.check(source, permission, delegate.resourceName());
                if (check.possible() && !source.equals(delegate.member())) {
                    if (delegate.disabled()) {
                        check = check.conditionalBecause("The delegate " + delegate.email() + " is disabled, so the"
                                + " chain works only after someone enables it.");
                    }
                    delegates.computeIfAbsent(source, k -> new LinkedHashMap<>()).put(delegate.member(), check);
                }
            }
        }

        // Phase 2: from each caller, walk its delegates breadth-first and step to what the delegates can mint.
        for (Map.Entry<String, Map<String, Check>> caller : delegates.entrySet()) {
            String source = caller.getKey();
            Deque<Hop> queue = new ArrayDeque<>();
            Set<String> seen = new HashSet<>();
            caller.getValue().forEach((delegate, check) -> queue.add(new Hop(delegate, check, 1)));
            while (!queue.isEmpty()) {
                Hop hop = queue.poll();
                if (!seen.add(hop.delegate)) {
                    continue;
                }
                minting.getOrDefault(hop.delegate, Map.of()).forEach((target, mint) -> {
                    String resource = derivation.resourceOfPrincipal(target);
                    if (resource == null || !derivation.unconditionalAdminOfAncestor(source, resource)) {
                        derivation.offerStep(source, target, technique, hop.soFar.and(mint));
                    }
                });
                if (hop.depth < MAX_DELEGATES) {
                    delegates.getOrDefault(hop.delegate, Map.of()).forEach((next, link) ->
                            queue.add(new Hop(next, hop.soFar.and(link), hop.depth + 1)));
                }
            }
        }
    }
}
