package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.generate.SyntheticOrganization;
import dev.nhigraph.generate.Tier;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The index of identity grants only saves decisions: deriving CAN_ASSUME and CAN_ACCESS with it gives exactly the
 * edges, evidence included, that deciding every candidate in full gives. Checked on the bundled sample account,
 * the cross-account organisation fixture and a generated tier S organisation, which together have trust and
 * resource policies naming users, roles, accounts and "*".
 */
class IdentityGrantsTest {

    @Test
    void sampleAccount_sameEdgesAsExhaustive() {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        assertSameEdges(AwsProjection.read(SharedGraph.store()));
    }

    @Test
    void organizationBundle_sameEdgesAsExhaustive() {
        SharedGraph.resetAndLoad(Path.of("src/test/resources/fixtures/org-bundle"));
        assertSameEdges(AwsProjection.read(SharedGraph.store()));
    }

    @Test
    void generatedTierS_sameEdgesAsExhaustive() throws IOException {
        Path out = Files.createTempDirectory("nhigraph-grants-s");
        SyntheticOrganization.Result result = SyntheticOrganization.generate(Tier.S, 7L, out);
        SharedGraph.resetAndLoad(result.bundle());
        assertSameEdges(AwsProjection.read(SharedGraph.store()));
    }

    @Test
    void mayAllow_findsGranteesThroughWildcardsAndGroups() {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        AwsProjection projection = AwsProjection.read(SharedGraph.store());
        IdentityGrants grants = new IdentityGrants(projection);

        Set<String> assumers = grants.mayAllow("sts:AssumeRole");
        Set<String> everyone = new IdentityGrants(projection, true).mayAllow("sts:AssumeRole");
        assertFalse(assumers.isEmpty(), "the sample has principals allowed sts:AssumeRole");
        assertTrue(assumers.size() < everyone.size(), "the index must leave out principals without the grant");
        assertEquals(assumers, grants.mayAllow("STS:assumerole"), "action names are case-insensitive");
    }

    private static void assertSameEdges(AwsProjection projection) {
        Comparator<AwsProjection.AssumeEdge> assumeOrder = Comparator.comparing(AwsProjection.AssumeEdge::source)
                .thenComparing(AwsProjection.AssumeEdge::target);
        List<AwsProjection.AssumeEdge> indexed = AssumeRoleAnalysis.derive(projection).stream().sorted(assumeOrder).toList();
        List<AwsProjection.AssumeEdge> exhaustive = AssumeRoleAnalysis.derive(projection, new IdentityGrants(projection, true))
                .stream().sorted(assumeOrder).toList();
        assertFalse(exhaustive.isEmpty(), "the fixture must have CAN_ASSUME edges to compare");
        assertEquals(exhaustive, indexed);

        ActionCatalog catalog = ActionCatalog.loadDefault();
        Comparator<ResourceAccessAnalysis.AccessEdge> accessOrder = Comparator
                .comparing(ResourceAccessAnalysis.AccessEdge::principal).thenComparing(ResourceAccessAnalysis.AccessEdge::resource);
        List<ResourceAccessAnalysis.AccessEdge> indexedAccess = ResourceAccessAnalysis.derive(projection, catalog)
                .expanded(projection).stream().sorted(accessOrder).toList();
        List<ResourceAccessAnalysis.AccessEdge> exhaustiveAccess = ResourceAccessAnalysis
                .derive(projection, catalog, new IdentityGrants(projection, true)).expanded(projection).stream().sorted(accessOrder).toList();
        assertEquals(exhaustiveAccess, indexedAccess);
    }
}
