package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory.Role;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.analysis.GcpAuthorization.IndexedBinding;
import dev.nhigraph.gcp.analysis.GcpAuthorization.MemberMatch;
import dev.nhigraph.gcp.analysis.Principals.Principal;
import dev.nhigraph.policy.eval.Tri;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Derives administrators: principals that hold {@code resourcemanager.organizations.setIamPolicy},
 * {@code folders.setIamPolicy} or {@code projects.setIamPolicy} on an organization, folder or project, and those
 * that can give a custom role bound to themselves such a permission with {@code iam.roles.update}.
 */
final class AdminDerivation {

    private final Derivation derivation;

    AdminDerivation(Derivation derivation) {
        this.derivation = derivation;
    }

    void run(List<IndexedCustomRole> customRoles) {
        // Organizations first, so that grants implied by one above can be skipped early.
        List<GcpTechnique> scopePolicies = new java.util.ArrayList<>(derivation.techniques("scope-policy"));
        java.util.Collections.reverse(scopePolicies);
        for (GcpTechnique technique : scopePolicies) {
            bySetIamPolicy(technique);
        }
        for (GcpTechnique technique : derivation.techniques("custom-role")) {
            for (IndexedCustomRole role : customRoles) {
                byRoleUpdate(technique, role);
            }
        }
    }

    /** A custom role and the project or organization that defines it. */
    record IndexedCustomRole(Role role, String owner) {

        /** Returns the role with its owner, or null when the name is of no known form. */
        static IndexedCustomRole of(Role role) {
            String[] parts = role.name().split("/");
            if (parts.length == 4 && parts[2].equals("roles")) {
                if (parts[0].equals("projects")) {
                    return new IndexedCustomRole(role, GcpNames.projectName(parts[1]));
                }
                if (parts[0].equals("organizations")) {
                    return new IndexedCustomRole(role, GcpNames.organizationName(parts[1]));
                }
            }
            return null;
        }
    }

    private void bySetIamPolicy(GcpTechnique technique) {
        String permission = technique.permissionsOn("scope").get(0);
        String scopeType = scopeTypeOf(permission);
        Hierarchy hierarchy = derivation.hierarchy;
        for (IndexedBinding binding : derivation.auth.bindingsGranting(permission)) {
            Set<String> scopes = new LinkedHashSet<>();
            if (GcpNames.isContainer(binding.resource())) {
                scopes.add(binding.resource());
            }
            scopes.addAll(hierarchy.containersUnder(binding.resource()));
            for (String scope : scopes) {
                if (!scopeType.equals(hierarchy.typeOf(scope))) {
                    continue;
                }
                for (Derivation.Source source : derivation.sourcesOf(binding)) {
                    if (derivation.unconditionalAdminOfAncestor(source.principal(), scope)) {
                        continue;
                    }
                    Check check = derivation.check(source.principal(), permission, scope);
                    derivation.offerAdmin(source.principal(), scope, "binding", check);
                }
            }
        }
    }

    private static String scopeTypeOf(String permission) {
        if (permission.startsWith("resourcemanager.organizations.")) {
            return GcpNames.ORGANIZATION_TYPE;
        }
        if (permission.startsWith("resourcemanager.folders.")) {
            return GcpNames.FOLDER_TYPE;
        }
        return GcpNames.PROJECT_TYPE;
    }

    /**
     * Derives what updating a custom role gives: a principal that may update a role bound to itself can add any
     * permission the role's level supports. Bound on a container, the role makes it an administrator there, and bound
     * on a service account, it lets it act as the account.
     */
    private void byRoleUpdate(GcpTechnique technique, IndexedCustomRole custom) {
        if (custom.role().deleted()) {
            return;
        }
        Set<String> updaters = new LinkedHashSet<>();
        for (String permission : technique.permissionsOn("custom-role-owner")) {
            updaters.addAll(derivation.sourcesWith(permission, custom.owner()));
        }
        List<IndexedBinding> roleBindings = derivation.auth.bindingsByRole().getOrDefault(custom.role().name(), List.of());
        if (updaters.isEmpty() || roleBindings.isEmpty()) {
            return;
        }
        for (String updater : updaters) {
            Check update = derivation.checkAll(updater, technique, "custom-role-owner", custom.owner());
            if (!update.possible()) {
                continue;
            }
            Principal principal = derivation.principals.parse(updater);
            for (IndexedBinding binding : roleBindings) {
                MemberMatch match = derivation.auth.match(binding, principal);
                if (match.value() == Tri.FALSE) {
                    continue;
                }
                Check bound = new Check(match.value(), List.of(GcpAuthorization.bindingEvidence(binding, match.member(),
                        List.of(), "Binds the custom role " + custom.role().name() + " to " + match.member() + " on "
                                + binding.resource() + ", so permissions added to the role take effect there.")));
                if (binding.binding.condition() != null) {
                    bound = bound.conditionalBecause("The role's binding has a condition, which the added permissions"
                            + " would also be subject to.");
                }
                Check combined = update.and(bound);
                String resource = binding.resource();
                if (GcpNames.isContainer(resource)) {
                    boolean projectRole = Hierarchy.isProject(custom.owner());
                    if (projectRole && !Hierarchy.isProject(resource)) {
                        continue;
                    }
                    derivation.offerAdmin(updater, resource, technique.id(), combined);
                } else if (GcpNames.SERVICE_ACCOUNT_TYPE.equals(derivation.hierarchy.typeOf(resource))) {
                    var account = derivation.hierarchy.accountByName(resource);
                    if (account != null) {
                        derivation.offerStep(updater, account.member(), technique, combined);
                    }
                }
            }
        }
    }
}
