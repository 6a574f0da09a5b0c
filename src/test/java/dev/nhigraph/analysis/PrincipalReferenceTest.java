package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.testsupport.SharedGraph;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How a principal named on the command line or in the API is found in the iam-vulnerable sample, or suggested. */
class PrincipalReferenceTest {

    private static final String USER = "arn:aws:iam::200611803367:user/privesc1-CreateNewPolicyVersion-user";
    private static final String ROLE = "arn:aws:iam::200611803367:role/privesc1-CreateNewPolicyVersion-role";

    private static GraphService graph;

    @BeforeAll
    static void load() {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        graph = SharedGraph.graphService();
    }

    @Test
    void resolve_byArnNameAndUniqueId() {
        assertEquals(USER, graph.resolvePrincipal(USER));
        assertEquals(USER, graph.resolvePrincipal("privesc1-CreateNewPolicyVersion-user"));
        assertEquals(USER, graph.resolvePrincipal("AIDAS5NLFGDT64OEBQLGX"));
    }

    @Test
    void resolve_unknownIsNull() {
        assertNull(graph.resolvePrincipal("privesc4-CreateNewPolicyVersion-role"));
    }

    @Test
    void resolve_sharedNameListsEachPrincipal() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> graph.resolvePrincipal("biden"));

        assertTrue(e.getMessage().contains("arn:aws:iam::012345678901:user/biden"), e.getMessage());
        assertTrue(e.getMessage().contains("give the full ARN"), e.getMessage());
    }

    @Test
    void suggest_principalsSharingMostWords() {
        List<String> similar = graph.suggestPrincipals("privesc4-CreateNewPolicyVersion-role");

        assertEquals(ROLE, similar.get(0));
        assertTrue(similar.contains(USER), similar.toString());
        assertTrue(similar.size() <= 5, similar.toString());
    }

    @Test
    void suggest_nothingForShortOrUnknownWords() {
        assertEquals(List.of(), graph.suggestPrincipals("x-y"));
        assertEquals(List.of(), graph.suggestPrincipals("no-such-thing-anywhere"));
    }
}
