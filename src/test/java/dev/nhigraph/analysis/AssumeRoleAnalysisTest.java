package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.testsupport.SharedGraph;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CAN_ASSUME on small named fixtures: account 111111111111 (users, roles) and 222222222222 (roles trusting it). */
class AssumeRoleAnalysisTest {

    private static final String ACCOUNT = "arn:aws:iam::111111111111:";
    private static final String OTHER = "arn:aws:iam::222222222222:";

    @BeforeAll
    static void load() {
        SharedGraph.resetAndLoad(Path.of("src/test/resources/fixtures/assume-same-account.json"),
                Path.of("src/test/resources/fixtures/assume-cross-account.json"));
    }

    @Test
    void userTrust_withPermission_givesEdge() {
        assertTrue(canAssume(ACCOUNT + "user/deployer", ACCOUNT + "role/deploy"));
    }

    @Test
    void rootTrust_withoutPermission_noEdge() {
        assertFalse(canAssume(ACCOUNT + "user/auditor", ACCOUNT + "role/root-trusting"));
    }

    @Test
    void rootTrust_needsPermissionOnRole() {
        // deployer may assume role/dep* only, so the root-trusting role stays out of reach.
        assertFalse(canAssume(ACCOUNT + "user/deployer", ACCOUNT + "role/root-trusting"));
        assertTrue(canAssume(ACCOUNT + "role/deploy", ACCOUNT + "role/root-trusting"));
    }

    @Test
    void identityDeny_blocksNamedPrincipal() {
        assertFalse(canAssume(ACCOUNT + "user/blocked", ACCOUNT + "role/names-blocked"));
        assertFalse(canAssume(ACCOUNT + "user/blocked", ACCOUNT + "role/root-trusting"));
    }

    @Test
    void conditionalTrust_marksEdge() {
        String evidence = SharedGraph.store().read(tx -> tx.run("""
                MATCH (:Principal {id: $from})-[e:CAN_ASSUME]->(:Principal {id: $to})
                RETURN e.conditional AS conditional, e.evidence AS evidence""",
                org.neo4j.driver.Values.parameters("from", ACCOUNT + "user/deployer", "to", ACCOUNT + "role/mfa-required"))
                .single().get("evidence").asString());
        long conditional = SharedGraph.count("""
                MATCH (:Principal {id: $from})-[e:CAN_ASSUME {conditional: true}]->(:Principal {id: $to}) RETURN count(e) AS c""",
                "from", ACCOUNT + "user/deployer", "to", ACCOUNT + "role/mfa-required");

        assertEquals(1, conditional);
        assertTrue(evidence.contains("aws:MultiFactorAuthPresent"), evidence);
    }

    @Test
    void crossAccount_needsBothSides() {
        // shared-read names deployer, but deployer's own policy allows only role/dep* in its account.
        assertFalse(canAssume(ACCOUNT + "user/deployer", OTHER + "role/shared-read"));
        // shared-deploy trusts account 111111111111; the deploy role has AdministratorAccess.
        assertTrue(canAssume(ACCOUNT + "role/deploy", OTHER + "role/shared-deploy"));
        assertFalse(canAssume(ACCOUNT + "user/auditor", OTHER + "role/shared-deploy"));
    }

    @Test
    void edgeEvidence_namesBothStatements() {
        String evidence = SharedGraph.store().read(tx -> tx.run("""
                MATCH (:Principal {id: $from})-[e:CAN_ASSUME]->(:Principal {id: $to}) RETURN e.evidence AS evidence""",
                org.neo4j.driver.Values.parameters("from", ACCOUNT + "role/deploy", "to", OTHER + "role/shared-deploy"))
                .single().get("evidence").asString());

        assertTrue(evidence.contains(OTHER + "role/shared-deploy#trust"), evidence);
        assertTrue(evidence.contains("arn:aws:iam::aws:policy/AdministratorAccess"), evidence);
    }

    private static boolean canAssume(String from, String to) {
        return SharedGraph.count("MATCH (:Principal {id: $from})-[e:CAN_ASSUME]->(:Principal {id: $to}) RETURN count(e) AS c",
                "from", from, "to", to) == 1;
    }
}
