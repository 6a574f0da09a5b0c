package dev.nhigraph.aws.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.aws.AwsGraphLoader;
import dev.nhigraph.aws.org.OrganizationGraphWriter;
import dev.nhigraph.aws.resource.ResourcePolicyGraphWriter;
import dev.nhigraph.db.CypherFiles;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;

/** The bundle under fixtures/bundle/main written to the shared embedded Neo4j; see {@link BundleReaderTest}. */
class BundleGraphTest {

    private static final String SNAPSHOT = "bundle-graph-test";
    private static final String DENY_LEAVE = "arn:aws:organizations::111111111111:policy/o-exampleorg1/service_control_policy/p-denyleave1";
    private static final String FULL_ACCESS = "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess";
    private static final String SECURE_TRANSPORT = "arn:aws:organizations::111111111111:policy/o-exampleorg1/resource_control_policy/p-rcpsecure1";

    @BeforeAll
    static void load() throws IOException {
        SharedGraph.reset();
        applyOrganizationsSchema();
        write(BundleReader.read(BundleReaderTest.jsonFiles(BundleReaderTest.MAIN)));
    }

    /** Applies cypher/schema/organizations.cypher, which GraphStore does not apply yet. */
    private static void applyOrganizationsSchema() throws IOException {
        String text = Files.readString(Path.of("cypher/schema/organizations.cypher"));
        try (Session session = SharedGraph.store().session(SessionConfig.defaultConfig())) {
            for (String statement : CypherFiles.statements(text)) {
                session.run(statement).consume();
            }
        }
    }

    /** Writes the bundle in one transaction, IAM first, as a load would. */
    private static void write(Bundle bundle) {
        SharedGraph.store().write(tx -> {
            if (bundle.iam() != null) {
                new AwsGraphLoader(bundle.iam(), SNAPSHOT).writeAll(tx);
            }
            if (bundle.organization() != null) {
                new OrganizationGraphWriter(bundle.organization(), SNAPSHOT).writeAll(tx);
            }
            new ResourcePolicyGraphWriter(bundle.resourcePolicies(), SNAPSHOT).writeAll(tx);
            return null;
        });
    }

    @Test
    void accounts_mergeWithIamAccountNodes() {
        long nodes = SharedGraph.count("MATCH (a:Principal {id: '222222222222'}) RETURN count(a) AS c");
        long named = SharedGraph.count("""
                MATCH (a:Principal:AwsAccount {id: '222222222222', name: 'prod-app', email: 'prod-app@example.com',
                       status: 'ACTIVE', organization: 'o-exampleorg1'})
                RETURN count(a) AS c""");
        long roleInAccount = SharedGraph.count("""
                MATCH (:AwsRole {id: 'arn:aws:iam::222222222222:role/deploy'})-[:IN]->(a:AwsAccount {id: '222222222222'})
                RETURN count(a) AS c""");

        assertEquals(1, nodes);
        assertEquals(1, named);
        assertEquals(1, roleInAccount);
    }

    @Test
    void tree_fromAccountUpToOrganization() {
        long path = SharedGraph.count("""
                MATCH (:AwsAccount {id: '222222222222'})-[:IN_OU]->(:AwsOrganizationalUnit {id: 'ou-ab12-33333333', name: 'Prod', root: false})
                      -[:CHILD_OF]->(:AwsOrganizationalUnit {id: 'ou-ab12-11111111', name: 'Workloads'})
                      -[:CHILD_OF]->(root:AwsOrganizationalUnit {id: 'r-ab12', root: true})
                      -[:IN_ORGANIZATION]->(:AwsOrganization {id: 'o-exampleorg1'})
                RETURN count(root) AS c""");
        long fromListParents = SharedGraph.count("""
                MATCH (:AwsAccount {id: '444444444444'})-[:IN_OU]->(:AwsOrganizationalUnit {id: 'ou-ab12-22222222'})
                RETURN count(*) AS c""");
        long withoutParent = SharedGraph.count("MATCH (:AwsAccount {id: '555555555555'})-[r:IN_OU]->() RETURN count(r) AS c");
        long orphanOu = SharedGraph.count("MATCH (u:AwsOrganizationalUnit {id: 'ou-ab12-99999999'}) RETURN count(u) AS c");
        long members = SharedGraph.count("MATCH (:AwsAccount)-[r:IN_ORGANIZATION]->(:AwsOrganization) RETURN count(r) AS c");

        assertEquals(1, path);
        assertEquals(1, fromListParents);
        assertEquals(0, withoutParent);
        assertEquals(0, orphanOu);
        assertEquals(5, members);
    }

    @Test
    void scpAndRcp_attachedToTheirTargets() {
        long denyOnOu = countAttachment("ou-ab12-11111111", "HAS_SCP", DENY_LEAVE);
        long denyOnAccount = countAttachment("333333333333", "HAS_SCP", DENY_LEAVE);
        long fullOnRoot = countAttachment("r-ab12", "HAS_SCP", FULL_ACCESS);
        long rcpOnRoot = countAttachment("r-ab12", "HAS_RCP", SECURE_TRANSPORT);
        long scpEdges = SharedGraph.count("MATCH ()-[r:HAS_SCP]->() RETURN count(r) AS c");
        long rcpEdges = SharedGraph.count("MATCH ()-[r:HAS_RCP]->() RETURN count(r) AS c");
        long kinds = SharedGraph.count("""
                MATCH (p:AwsPolicy) WHERE (p.id = $deny AND p.kind = 'scp') OR (p.id = $rcp AND p.kind = 'rcp')
                RETURN count(p) AS c""", "deny", DENY_LEAVE, "rcp", SECURE_TRANSPORT);

        assertEquals(1, denyOnOu);
        assertEquals(1, denyOnAccount);
        assertEquals(1, fullOnRoot);
        assertEquals(1, rcpOnRoot);
        assertEquals(3, scpEdges);
        assertEquals(1, rcpEdges);
        assertEquals(2, kinds);
    }

    @Test
    void invalidScp_notInGraph() {
        long broken = SharedGraph.count("MATCH (p:AwsPolicy) WHERE p.policyId = 'p-broken123' RETURN count(p) AS c");
        long policies = SharedGraph.count("MATCH (p:AwsPolicy) WHERE p.kind IN ['scp', 'rcp'] RETURN count(p) AS c");

        assertEquals(0, broken);
        assertEquals(3, policies);
    }

    @Test
    void managementAccount_isMarked() {
        long organization = SharedGraph.count("""
                MATCH (o:AwsOrganization {id: 'o-exampleorg1', managementAccount: '111111111111'}) RETURN count(o) AS c""");
        long account = SharedGraph.count("""
                MATCH (a:AwsAccount {id: '111111111111', isManagementAccount: true, name: 'management'}) RETURN count(a) AS c""");
        long others = SharedGraph.count("MATCH (a:AwsAccount {isManagementAccount: true}) RETURN count(a) AS c");

        assertEquals(1, organization);
        assertEquals(1, account);
        assertEquals(1, others);
    }

    @Test
    void resources_haveTheirPolicies() {
        Map<String, Long> byService = Map.of("s3", 2L, "kms", 1L, "secretsmanager", 1L, "sqs", 1L, "sns", 1L,
                "lambda", 1L, "ecr", 1L);

        for (Map.Entry<String, Long> entry : byService.entrySet()) {
            long count = SharedGraph.count("""
                    MATCH (r:AwsResource {service: $service})-[:HAS_POLICY]->(p:AwsPolicy {kind: 'resource'})
                    WHERE p.id = r.id + '#resource-policy' AND p.document IS NOT NULL
                    RETURN count(r) AS c""", "service", entry.getKey());
            assertEquals(entry.getValue(), count, entry.getKey());
        }
        long keyInAccount = SharedGraph.count("""
                MATCH (:AwsResource {id: 'arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-1111-2222-3333-444455556666'})
                      -[:IN]->(:AwsAccount {id: '111111111111'})
                RETURN count(*) AS c""");
        assertEquals(1, keyInAccount);
        long bucketPolicyName = SharedGraph.count("""
                MATCH (:AwsResource {id: 'arn:aws:s3:::team-logs'})-[:HAS_POLICY]->(p:AwsPolicy {name: 'bucket policy of team-logs'})
                RETURN count(p) AS c""");
        assertEquals(1, bucketPolicyName);
    }

    @Test
    void loadingTwice_keepsCounts() throws IOException {
        Map<String, Long> before = SharedGraph.counts();

        write(BundleReader.read(BundleReaderTest.jsonFiles(BundleReaderTest.MAIN)));

        assertEquals(before, SharedGraph.counts());
        assertTrue(before.getOrDefault(":AwsResource", 0L) > 0, before.toString());
    }

    @Test
    void newerExport_replacesAccountParent(@TempDir Path dir) throws IOException {
        Path moved = dir.resolve("organizations/children/ou-ab12-22222222/accounts.json");
        Files.createDirectories(moved.getParent());
        Files.writeString(moved, """
                {"Accounts": [{"Id": "222222222222", "Arn": "arn:aws:organizations::111111111111:account/o-exampleorg1/222222222222",
                  "Name": "prod-app", "Email": "prod-app@example.com", "Status": "ACTIVE"}]}""");
        String parents = "MATCH (:AwsAccount {id: '222222222222'})-[:IN_OU]->(u) RETURN collect(u.id) AS ids";

        write(BundleReader.read(List.of(moved)));
        List<Object> afterMove = SharedGraph.store().read(tx -> tx.run(parents).single().get("ids").asList());
        write(BundleReader.read(BundleReaderTest.jsonFiles(BundleReaderTest.MAIN)));
        List<Object> afterRestore = SharedGraph.store().read(tx -> tx.run(parents).single().get("ids").asList());

        assertEquals(List.of("ou-ab12-22222222"), afterMove);
        assertEquals(List.of("ou-ab12-33333333"), afterRestore);
    }

    private static long countAttachment(String target, String relationship, String policy) {
        List<String> allowed = List.of("HAS_SCP", "HAS_RCP");
        assertTrue(allowed.contains(relationship), relationship);
        return SharedGraph.count("MATCH ({id: $target})-[r:%s]->(:AwsPolicy {id: $policy}) RETURN count(r) AS c".formatted(relationship),
                "target", target, "policy", policy);
    }
}
