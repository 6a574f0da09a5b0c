package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpRoleCatalog;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The permission set of each role named in a binding, built once per role: predefined roles from the catalogue and
 * custom roles from the inventory.
 *
 * <p>A role that is unknown, deleted or in the DISABLED stage grants nothing, as IAM deactivates the bindings of a
 * disabled or deleted role. Each such role is reported once through the warning sink.
 */
final class RoleIndex {

    private final GcpRoleCatalog catalog;
    private final Consumer<String> warnings;
    private final Map<String, Set<String>> permissions = new ConcurrentHashMap<>();

    RoleIndex(GcpRoleCatalog predefined, List<GcpInventory.Role> customRoles, Consumer<String> warnings) {
        this.catalog = predefined.withCustomRoles(customRoles);
        this.warnings = warnings;
    }

    /** Returns the permissions {@code roleName} grants, empty for a role that grants nothing. */
    Set<String> permissions(String roleName) {
        return permissions.computeIfAbsent(roleName, this::load);
    }

    /** Returns whether the role exists and grants something. */
    boolean grants(String roleName) {
        return !permissions(roleName).isEmpty();
    }

    GcpInventory.Role role(String roleName) {
        return catalog.role(roleName);
    }

    /** Tells whether a predefined role or one of the custom roles contains {@code permission}. */
    boolean anyRoleContains(String permission) {
        return catalog.anyRoleContains(permission);
    }

    private Set<String> load(String roleName) {
        GcpInventory.Role role = catalog.role(roleName);
        if (role == null) {
            warnings.accept("Role " + roleName + " is neither predefined nor a custom role in the bundle, so its bindings"
                    + " grant nothing here; add the custom role's definition to the bundle if it exists.");
            return Set.of();
        }
        if (role.deleted()) {
            warnings.accept("Role " + roleName + " is deleted, so its bindings grant nothing.");
            return Set.of();
        }
        if ("DISABLED".equals(role.stage())) {
            warnings.accept("Role " + roleName + " is disabled, so its bindings grant nothing.");
            return Set.of();
        }
        // Sorted, since evidence lists a binding's permissions in this order; Set.copyOf would change it with every run.
        return Collections.unmodifiableSet(new LinkedHashSet<>(new TreeSet<>(role.permissions())));
    }
}
