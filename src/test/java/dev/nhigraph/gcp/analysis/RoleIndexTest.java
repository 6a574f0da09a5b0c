package dev.nhigraph.gcp.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.gcp.GcpRoleCatalog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The permissions of a role, in the order that evidence lists them. */
class RoleIndexTest {

    @Test
    void permissions_inSortedOrder() {
        RoleIndex roles = new RoleIndex(GcpRoleCatalog.loadDefault(), List.of(), warning -> { });

        List<String> permissions = new ArrayList<>(roles.permissions("roles/storage.objectViewer"));

        assertTrue(permissions.size() > 2, permissions.toString());
        // The same order in every run, so that a report of one bundle does not change from run to run.
        assertEquals(permissions.stream().sorted().toList(), permissions);
    }
}
