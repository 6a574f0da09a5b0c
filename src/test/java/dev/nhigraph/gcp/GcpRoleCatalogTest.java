package dev.nhigraph.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GcpRoleCatalogTest {

    @Test
    void shippedCatalogueHasEveryPredefinedRole() {
        GcpRoleCatalog catalog = GcpRoleCatalog.loadDefault();

        assertEquals(2461, catalog.size());
        assertTrue(catalog.role("roles/editor").permissions().contains("iam.serviceAccountKeys.create"));
        assertTrue(catalog.role("roles/editor").permissions().contains("iam.serviceAccounts.actAs"));
        assertTrue(catalog.role("roles/iam.serviceAccountTokenCreator").permissions().contains("iam.serviceAccounts.getAccessToken"));
        assertEquals("Owner", catalog.role("roles/owner").title());
        assertNull(catalog.role("roles/no-such-role"));
    }

    @Test
    void customRoleAddedButNeverReplacesPredefined() {
        GcpInventory.Role custom = new GcpInventory.Role("projects/p1/roles/deployer", "Deployer", "GA", false,
                List.of("run.services.create"), "roles.json");
        GcpInventory.Role fake = new GcpInventory.Role("roles/viewer", "Fake", "GA", false, List.of("x.y.z"), "roles.json");

        GcpRoleCatalog catalog = GcpRoleCatalog.loadDefault().withCustomRoles(List.of(custom, fake));

        assertEquals(List.of("run.services.create"), catalog.role("projects/p1/roles/deployer").permissions());
        assertFalse(catalog.role("roles/viewer").permissions().contains("x.y.z"));
    }
}
