package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.db.CypherFiles;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Values;

/**
 * FederatedSubject nodes and their CAN_ASSUME edges, loaded from the fixture federated-trust.json: roles of account
 * 333333333333 trusting GitHub Actions, an EKS cluster and a SAML provider under different conditions.
 */
class FederatedTrustTest {

    private static final String ROLE = "arn:aws:iam::333333333333:role/";
    private static final String GITHUB_PROVIDER = "arn:aws:iam::333333333333:oidc-provider/token.actions.githubusercontent.com";
    private static final String GITHUB_SUB = "token.actions.githubusercontent.com:sub=";
    private static final String MAIN_BRANCH = GITHUB_SUB + "repo:acme/app:ref:refs/heads/main";
    private static final String EKS_HOST = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

    @BeforeAll
    static void load() {
        SharedGraph.resetAndLoad(Path.of("src/test/resources/fixtures/federated-trust.json"));
    }

    @Test
    void wildcardRepo_flaggedAnySubject() {
        Map<String, Object> subject = subject(GITHUB_SUB + "repo:*");

        assertEquals(true, subject.get("anySubject"));
        assertEquals("github", subject.get("providerKind"));
        assertEquals("repo:*", subject.get("pattern"));
        assertEquals("any repository on GitHub (owner pattern *)", subject.get("name"));
        assertEquals(Optional.of(false), edge(GITHUB_SUB + "repo:*", "github-any-repository"));
    }

    @Test
    void pinnedBranch_notFlagged() {
        Map<String, Object> subject = subject(MAIN_BRANCH);

        assertEquals(false, subject.get("anySubject"));
        assertEquals("acme/app", subject.get("repository"));
        assertEquals("refs/heads/main", subject.get("ref"));
        assertEquals(Optional.of(false), edge(MAIN_BRANCH, "github-main-branch"));
    }

    @Test
    void subject_isFederatedPrincipal() {
        List<String> labels = SharedGraph.store().read(tx -> tx.run("MATCH (s:Principal {id: $id}) RETURN labels(s) AS labels",
                Values.parameters("id", MAIN_BRANCH)).single().get("labels").asList(v -> v.asString()));

        assertTrue(labels.contains("FederatedSubject"), labels.toString());
        assertEquals(true, subject(MAIN_BRANCH).get("external"));
        assertEquals(1, SharedGraph.count("""
                MATCH (:Principal {id: $id})-[:ISSUED_BY]->(:FederatedProvider {id: $provider}) RETURN count(*) AS c""",
                "id", MAIN_BRANCH, "provider", GITHUB_PROVIDER));
        assertEquals(1, SharedGraph.count("""
                MATCH (:AwsRole {id: $role})-[:TRUSTS]->(:Principal {id: $id}) RETURN count(*) AS c""",
                "role", ROLE + "github-main-branch", "id", MAIN_BRANCH));
    }

    @Test
    void sharedSubject_isOneNode() {
        // github-main-branch, github-workflow-pinned, github-other-audience and github-branch-denied all name it.
        assertEquals(4, SharedGraph.count("MATCH (:Principal {id: $id})<-[:TRUSTS]-(r:AwsRole) RETURN count(r) AS c",
                "id", MAIN_BRANCH));
    }

    @Test
    void missingSub_flaggedAnySubject() {
        Map<String, Object> subject = subject(GITHUB_SUB + "*");

        assertEquals(true, subject.get("anySubject"));
        assertEquals(Optional.of(false), edge(GITHUB_SUB + "*", "github-without-sub"));
    }

    @Test
    void valueList_givesEdgePerSubject() {
        assertEquals(Optional.of(false), edge(GITHUB_SUB + "repo:acme/app:environment:production", "github-environment-list"));
        assertEquals(Optional.of(false), edge(GITHUB_SUB + "repo:acme/api:pull_request", "github-environment-list"));
        assertEquals("production", subject(GITHUB_SUB + "repo:acme/app:environment:production").get("environment"));
        assertEquals("pull_request", subject(GITHUB_SUB + "repo:acme/api:pull_request").get("context"));
    }

    @Test
    void otherClaimCondition_isConditional() {
        assertEquals(Optional.of(true), edge(MAIN_BRANCH, "github-workflow-pinned"));
        assertTrue(evidence(MAIN_BRANCH, "github-workflow-pinned").contains("job_workflow_ref"));
    }

    @Test
    void otherAudience_isConditionalWithNote() {
        assertEquals(Optional.of(true), edge(MAIN_BRANCH, "github-other-audience"));
        assertTrue(evidence(MAIN_BRANCH, "github-other-audience").contains("client id list"));
    }

    @Test
    void deniedBranch_hasNoEdge() {
        String devBranch = GITHUB_SUB + "repo:acme/app:ref:refs/heads/dev";

        assertNotNull(subject(devBranch));
        assertEquals(Optional.empty(), edge(devBranch, "github-branch-denied"));
        assertEquals(Optional.of(false), edge(MAIN_BRANCH, "github-branch-denied"));
    }

    @Test
    void organizationWildcard_notFlagged() {
        Map<String, Object> subject = subject(GITHUB_SUB + "repo:acme/*");

        assertEquals(false, subject.get("anySubject"));
        assertEquals("acme/*", subject.get("repository"));
    }

    @Test
    void eksServiceAccount_resolved() {
        String id = EKS_HOST.toLowerCase() + ":sub=system:serviceaccount:payments:api";
        Map<String, Object> subject = subject(id);

        assertEquals("eks", subject.get("providerKind"));
        assertEquals("payments", subject.get("namespace"));
        assertEquals("api", subject.get("serviceAccount"));
        assertEquals(Optional.of(false), edge(id, "eks-payments-api"));
        assertEquals(true, subject(EKS_HOST.toLowerCase() + ":sub=*").get("anySubject"));
    }

    @Test
    void samlProvider_givesAnyUserSubject() {
        String id = "arn:aws:iam::333333333333:saml-provider/CorporateIdP#saml:sub=*";

        assertEquals("saml", subject(id).get("protocol"));
        assertEquals(Optional.of(false), edge(id, "saml-engineers"));
    }

    @Test
    void providerEdge_kept() {
        assertEquals(1, SharedGraph.count("""
                MATCH (:Principal {id: $provider})-[e:CAN_ASSUME]->(:AwsRole {id: $role}) RETURN count(e) AS c""",
                "provider", GITHUB_PROVIDER, "role", ROLE + "github-any-repository"));
    }

    @Test
    void findings_listAnySubjectRoles() {
        List<FederatedTrustFindings.Finding> findings = FederatedTrustFindings.find(SharedGraph.store());
        List<String> roles = findings.stream().map(FederatedTrustFindings.Finding::roleName).toList();

        assertEquals(List.of("github-any-repository", "eks-any-service-account", "github-without-sub"), roles);
        FederatedTrustFindings.Finding first = findings.get(0);
        assertEquals("critical", first.severity());
        assertEquals("YES", first.adminEquivalent());
        assertEquals("repo:*", first.pattern());
        assertEquals("github", first.providerKind());
        assertEquals(FederatedTrustFindings.RULE, first.rule());
        assertFalse(first.evidence().isEmpty());
        assertNotNull(first.evidence().get(0).condition());
        assertEquals("high", findings.get(1).severity());
        assertNull(findings.get(1).adminEquivalent());
    }

    @Test
    void savedQuery_matchesFindings() throws IOException {
        String query = CypherFiles.body(Files.readString(Path.of("cypher/queries/federated-any-subject.cypher")));

        List<String> rows = SharedGraph.store().read(tx -> tx.run(query).list(r -> r.get("role").asString()));
        List<String> findings = FederatedTrustFindings.find(SharedGraph.store()).stream()
                .map(FederatedTrustFindings.Finding::role).toList();

        assertEquals(findings, rows);
    }

    private static Map<String, Object> subject(String id) {
        return SharedGraph.store().read(tx -> tx.run("MATCH (s:FederatedSubject {id: $id}) RETURN properties(s) AS p",
                Values.parameters("id", id)).list(r -> r.get("p").asMap()).stream().findFirst().orElse(null));
    }

    /** Returns whether the CAN_ASSUME edge is conditional, or empty when there is no edge. */
    private static Optional<Boolean> edge(String subject, String roleName) {
        return SharedGraph.store().read(tx -> tx.run("""
                        MATCH (:Principal {id: $subject})-[e:CAN_ASSUME]->(:AwsRole {id: $role}) RETURN e.conditional AS c""",
                Values.parameters("subject", subject, "role", ROLE + roleName))
                .list(r -> r.get("c").asBoolean()).stream().findFirst());
    }

    private static String evidence(String subject, String roleName) {
        return SharedGraph.store().read(tx -> tx.run("""
                        MATCH (:Principal {id: $subject})-[e:CAN_ASSUME]->(:AwsRole {id: $role}) RETURN e.evidence AS evidence""",
                Values.parameters("subject", subject, "role", ROLE + roleName)).single().get("evidence").asString());
    }
}
