package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives the steps that act on a service account directly: minting its tokens or keys ({@code credential}),
 * changing its allow policy ({@code account-policy}) and acting through it in a delegation chain
 * ({@code delegation}).
 *
 * <p>Delegation: a request for a token of C that names delegate B succeeds when the caller has
 * {@code iam.serviceAccounts.implicitDelegation} on B and B can mint tokens for C (getAccessToken, signBlob or
 * signJwt). So the caller gets a step to C, not to B: implicitDelegation alone yields no token of B. Only chains with
 * one delegate are derived. A longer chain (A to B1 to B2 to C, each with implicitDelegation on the next) would
 * need the transitive closure of delegation, which grows with the square of the accounts. Path search composes the
 * usual case anyway, because the roles that contain implicitDelegation also contain getAccessToken.
 */
final class AccountSteps {

    /** The permissions with which the delegate of a chain mints a token for the target. */
    private static final Set<String> MINTING = Set.of("iam.serviceAccounts.getAccessToken",
            "iam.serviceAccounts.signBlob", "iam.serviceAccounts.signJwt");

    private final Derivation derivation;
    /** For each source, the targets it can mint tokens for, with the best check. */
    private final Map<String, Map<String, Check>> minting = new HashMap<>();
    private final Derivation.ProjectSourceCache projectSources;

    AccountSteps(Derivation derivation) {
        this.derivation = derivation;
        this.projectSources = derivation.new ProjectSourceCache();
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
        int best = derivation.bestPossibleRank(technique);
        for (Derivation.AccountSource candidate : derivation.accountSources(permissions.get(0), account, projectSources)) {
            if (candidate.scopeRank() <= best && (!mints || candidate.mintingCovered())) {
                continue;
            }
            String source = candidate.principal();
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

        // Phase 2: step from each caller to what each of its delegates can mint, account by account and scope-wide.
        // TODO: chains of two or more delegates are not derived. A caller with implicitDelegation but no token
        // permission on the first delegate is missed when the minting delegate is further down the chain.
        for (Map.Entry<String, Map<String, Check>> caller : delegates.entrySet()) {
            String source = caller.getKey();
            for (Map.Entry<String, Check> link : caller.getValue().entrySet()) {
                for (Map.Entry<String, Check> mint : minting.getOrDefault(link.getKey(), Map.of()).entrySet()) {
                    String resource = derivation.resourceOfPrincipal(mint.getKey());
                    if (resource == null || !derivation.unconditionalAdminOfAncestor(source, resource)) {
                        derivation.offerStep(source, mint.getKey(), technique, link.getValue().and(mint.getValue()));
                    }
                }
                for (Map.Entry<String, Check> mint : derivation.scopeMintingOf(link.getKey()).entrySet()) {
                    if (!derivation.unconditionalAdminOfAncestor(source, mint.getKey())) {
                        derivation.offerScopeStep(source, mint.getKey(), technique, link.getValue().and(mint.getValue()));
                    }
                }
            }
        }
    }
}
