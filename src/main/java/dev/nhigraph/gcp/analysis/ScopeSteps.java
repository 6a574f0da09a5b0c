package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.analysis.GcpAuthorization.Decision;
import dev.nhigraph.gcp.analysis.GcpAuthorization.IndexedBinding;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.eval.Tri;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Derives scope-wide steps: when a member's binding on an organization, folder or project gives it a technique
 * against every service account below, it gets one step to that container, not one step per account. An editor of
 * a folder with thousands of accounts below would otherwise get thousands of steps per technique, which made most of
 * the steps of a large organization.
 *
 * <p>A scope-wide step is made only where the outcome cannot depend on the account: every permission the technique
 * checks against the account (and, for a new workload, against the account's project) is granted by a binding
 * without a condition on the scope or an ancestor, to a member that includes the source for certain, and no deny
 * rule is attached at, above or below the scope. Techniques that use an existing workload depend on the workloads of
 * each project and are always derived per account. Everything else falls back to the per-account phases, which
 * skip a source and account that a scope-wide step already covers at least as well.
 */
final class ScopeSteps {

    /** The categories whose checks involve only the target account and, for new workloads, its project. */
    private static final List<String> CATEGORIES = List.of("credential", "account-policy", "new-workload");

    /** The permissions with which a source mints an account's tokens, as delegation chains need. */
    private static final Set<String> MINTING = Set.of("iam.serviceAccounts.getAccessToken",
            "iam.serviceAccounts.signBlob", "iam.serviceAccounts.signJwt");

    private final Derivation derivation;
    private final Set<String> checked = new HashSet<>();
    private Set<String> scopesNearDenyRules;

    ScopeSteps(Derivation derivation) {
        this.derivation = derivation;
    }

    void run() {
        scopesNearDenyRules = scopesNearDenyRules();
        for (String category : CATEGORIES) {
            for (GcpTechnique technique : derivation.techniques(category)) {
                String permission = technique.permissionsOn("target").get(0);
                for (IndexedBinding binding : derivation.auth.bindingsGranting(permission)) {
                    String scope = binding.resource();
                    if (!GcpNames.isContainer(scope) || binding.binding.condition() != null
                            || scopesNearDenyRules.contains(scope) || derivation.hierarchy.accountsUnder(scope).isEmpty()) {
                        continue;
                    }
                    for (Derivation.Source source : derivation.sourcesOf(binding)) {
                        offer(source.principal(), scope, technique);
                    }
                }
            }
        }
    }

    private void offer(String source, String scope, GcpTechnique technique) {
        if (!checked.add(source + "\u0000" + scope + "\u0000" + technique.id())
                || derivation.unconditionalAdminOfAncestor(source, scope)
                || derivation.bestScopeRank(source, scope) <= derivation.bestPossibleRank(technique)) {
            return;
        }
        List<String> permissions = new ArrayList<>(technique.permissionsOn("target"));
        if (technique.category().equals("new-workload")) {
            permissions.addAll(technique.permissionsOn("target-project"));
        }
        Check check = Check.YES;
        for (String permission : permissions) {
            Check granted = unconditionallyGranted(source, permission, scope);
            if (granted == null) {
                return;
            }
            check = check.and(granted);
        }
        derivation.offerScopeStep(source, scope, technique, check);
        if (technique.category().equals("credential") && MINTING.containsAll(technique.permissionsOn("target"))) {
            derivation.offerScopeMinting(source, scope, check);
        }
    }

    /**
     * Returns the check of {@code permission} on {@code scope} when a binding without a condition grants it there
     * or above, so that it holds on everything below, with those bindings as evidence; otherwise null.
     */
    private Check unconditionallyGranted(String source, String permission, String scope) {
        Decision decision = derivation.auth.decide(source, permission, scope);
        if (decision.result() != Tri.TRUE) {
            return null;
        }
        List<Evidence> unconditional = new ArrayList<>();
        for (Evidence evidence : decision.allowing()) {
            if (evidence.condition() == null) {
                unconditional.add(evidence);
            }
        }
        return unconditional.isEmpty() ? null : new Check(Tri.TRUE, List.copyOf(unconditional));
    }

    /**
     * Returns the containers at which a deny rule is attached, or which lie above or below one. A rule at or above a
     * scope may deny by a condition on the resource, and a rule below it applies to some accounts only.
     */
    private Set<String> scopesNearDenyRules() {
        Set<String> near = new HashSet<>();
        for (String attachmentPoint : derivation.auth.denyAttachmentPoints()) {
            near.addAll(derivation.hierarchy.ancestors(attachmentPoint));
            near.addAll(derivation.hierarchy.containersUnder(attachmentPoint));
        }
        return near;
    }
}
