package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.policy.AccessSummarizer;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.policy.PrincipalAccess;
import dev.nhigraph.testsupport.SharedGraph;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Shared access summaries equal the summary computed for each principal on its own. */
class AccessSummariesTest {

    private static AwsProjection projection;
    private static AccessSummarizer summarizer;
    private static AwsAuthorization authorization;

    @BeforeAll
    static void loadSample() {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        projection = AwsProjection.read(SharedGraph.store());
        summarizer = new AccessSummarizer(ActionCatalog.loadDefault());
        authorization = new AwsAuthorization(projection);
    }

    @Test
    void sharedSummary_equalsOwnSummary() {
        AccessSummaries summaries = new AccessSummaries(projection, summarizer, authorization);
        int compared = 0;
        for (PrincipalNode principal : projection.principals().values()) {
            if (principal.external() || !(principal.kind().equals("AwsUser") || principal.kind().equals("AwsRole"))) {
                continue;
            }
            AwsAuthorization.AccessScope scope = authorization.scope(principal);
            PrincipalAccess own = summarizer.summarize(projection.policySet(principal.id()), scope.context(), scope.scpLevels());
            assertEquals(own, summaries.of(principal), principal.id());
            compared++;
        }
        assertTrue(compared > 50, "only " + compared + " principals compared");
    }

    @Test
    void equalSummaries_areOneInstance() {
        AccessSummaries summaries = new AccessSummaries(projection, summarizer, authorization);
        Map<PrincipalAccess, PrincipalAccess> seen = new HashMap<>();
        int shared = 0;
        for (PrincipalNode principal : projection.principals().values()) {
            if (principal.external() || !principal.kind().equals("AwsRole")) {
                continue;
            }
            PrincipalAccess access = summaries.of(principal);
            PrincipalAccess earlier = seen.putIfAbsent(access, access);
            if (earlier != null) {
                assertSame(earlier, access, principal.id());
                shared++;
            }
        }
        assertTrue(shared > 0, "the sample has roles with equal access");
    }
}
