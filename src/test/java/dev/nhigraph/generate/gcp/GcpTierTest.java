package dev.nhigraph.generate.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.generate.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GCP sizes of every tier: S, M and L from their layout without generating anything, and M generated once
 * without its AWS part. L is only planned here, because generating it takes about half a minute.
 */
class GcpTierTest {

    @TempDir
    Path dir;

    @Test
    void tierS_layoutHasDocumentedCounts() {
        assertLayout(Tier.S, 10, 8, 150, 68);
    }

    @Test
    void tierM_layoutHasDocumentedCounts() {
        assertLayout(Tier.M, 200, 28, 8_000, 3_500);
    }

    @Test
    void tierL_layoutHasDocumentedCounts() {
        assertLayout(Tier.L, 2_000, 148, 80_000, 35_000);
    }

    @Test
    void tiers_haveDocumentedGrantsAndPlantedCounts() {
        GcpTier s = GcpTier.of(Tier.S).orElseThrow();
        GcpTier m = GcpTier.of(Tier.M).orElseThrow();
        GcpTier l = GcpTier.of(Tier.L).orElseThrow();

        assertEquals(1_500, s.grants());
        assertEquals(40_000, m.grants());
        assertEquals(500_000, l.grants());
        assertEquals(10, s.plantedPaths());
        assertEquals(50, m.plantedPaths());
        assertEquals(200, l.plantedPaths());
        assertEquals(5, s.plantedDecoys());
        assertEquals(25, m.plantedDecoys());
        assertEquals(100, l.plantedDecoys());
    }

    @Test
    void tierM_generatesExactCounts() throws IOException {
        GcpOrganization.Result result = GcpOrganization.generate(Tier.M, 1, dir.resolve("bundle")).orElseThrow();
        JsonNode counts = result.expected().get("counts");

        assertEquals(200, counts.get("projects").asInt());
        assertEquals(28, counts.get("folders").asInt());
        assertEquals(8_000, counts.get("serviceAccounts").asInt());
        assertEquals(200, counts.get("defaultServiceAccounts").asInt());
        assertEquals(40_000, counts.get("grants").asInt());
        assertEquals(40, counts.get("customRoles").asInt());
        assertEquals(50, result.paths());
        assertEquals(25, result.decoys());
        assertEquals(result.files(), filesBelow(dir.resolve("bundle/gcp")));
        assertEquals(4, filesBelow(dir.resolve("bundle/gcp/iam-policies")) - 1, "one policy file per 50 projects");
    }

    private static void assertLayout(Tier tier, int projects, int folders, int serviceAccounts, int resources) {
        GcpLayout layout = GcpLayout.of(tier);

        assertEquals(projects, layout.projects.size());
        assertEquals(folders, layout.folders.size());
        assertEquals(folders, layout.sizes.folders());
        assertEquals(serviceAccounts, layout.projects.stream().mapToInt(GcpLayout.ProjectSlot::serviceAccounts).sum());
        assertEquals(resources, layout.sizes.resources());
        assertEquals(layout.sizes.buckets(), layout.projects.stream().mapToInt(GcpLayout.ProjectSlot::buckets).sum());
        assertEquals(layout.sizes.instances(), layout.projects.stream().mapToInt(GcpLayout.ProjectSlot::instances).sum());
        int largest = layout.projects.stream().mapToInt(GcpLayout.ProjectSlot::serviceAccounts).max().orElseThrow();
        assertTrue(largest <= GcpLayout.MAX_SERVICE_ACCOUNTS_PER_PROJECT, "largest project has " + largest);
        Set<String> names = new HashSet<>();
        for (GcpLayout.ProjectSlot slot : layout.projects) {
            assertTrue(names.add(slot.baseName()), "duplicate " + slot.baseName());
            // The id adds a dash and four characters; GCP allows 30.
            assertTrue(slot.baseName().length() <= 25, slot.baseName());
            assertTrue(slot.serviceAccounts() >= 1, slot.baseName() + " lacks its default account");
        }
    }

    private static long filesBelow(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
