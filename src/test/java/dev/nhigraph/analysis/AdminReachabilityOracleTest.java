package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.analysis.PathSearch.Paths;
import dev.nhigraph.analysis.AwsProjection.AssumeEdge;
import dev.nhigraph.policy.AccessSummarizer;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.jgrapht.Graph;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Admin reachability on seeded random accounts, checked against a brute-force enumeration of every simple path
 * over the same CAN_ASSUME graph. The seed is in every failure message.
 */
class AdminReachabilityOracleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "arn:aws:iam::444444444444:";
    private static final int ROLES = 14;
    private static final int ADMINS = 3;
    private static final double TRUST_PROBABILITY = 0.3;
    private static final double CONDITIONAL_PROBABILITY = 0.3;

    /** Orders paths as the search returns them: by length, then by the principals along them. */
    private static final Comparator<List<String>> PATH_ORDER = Comparator.<List<String>>comparingInt(List::size)
            .thenComparing((a, b) -> {
                for (int i = 0; i < a.size(); i++) {
                    int order = a.get(i).compareTo(b.get(i));
                    if (order != 0) {
                        return order;
                    }
                }
                return 0;
            });

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void randomAccount_matchesBruteForce(long seed) throws IOException {
        Set<String> plantedAdmins = writeRandomAccount(seed, dir.resolve("account.json"));
        SharedGraph.resetAndLoad(dir.resolve("account.json"));
        AwsProjection projection = SharedGraph.graphService().projection();
        AdminReachability reachability = AdminReachability.compute(projection,
                new AccessSummarizer(ActionCatalog.loadDefault()), new AwsAuthorization(projection));
        Graph<String, AssumeEdge> graph = projection.assumeGraph();

        assertEquals(plantedAdmins, reachability.admins(), "seed " + seed);
        for (String root : projection.principals().keySet()) {
            String context = "seed " + seed + ", root " + root;
            List<List<String>> all = new ArrayList<>();
            List<List<String>> unconditional = new ArrayList<>();
            enumerate(graph, plantedAdmins, root, new ArrayList<>(List.of(root)), false, all, unconditional);
            all.sort(PATH_ORDER);

            assertEquals(!all.isEmpty(), reachability.reachesAdmin(root), context);
            int shortest = all.isEmpty() ? -1 : all.get(0).size() - 1;
            assertEquals(shortest, reachability.distanceToAdmin(root), context);
            checkWitness(reachability.witness(root), graph, plantedAdmins, all, unconditional, context);

            Paths paths = reachability.pathsToAdmin(root, AdminReachability.MAX_DEPTH_LIMIT, AdminReachability.MAX_PATHS_LIMIT);
            List<List<String>> expected = all.stream().filter(p -> p.size() - 1 <= AdminReachability.MAX_DEPTH_LIMIT)
                    .limit(AdminReachability.MAX_PATHS_LIMIT).toList();
            assertEquals(expected, paths.paths().stream().map(PathSearch.Path::principals).toList(), context);
            assertEquals(all.size() >= AdminReachability.MAX_PATHS_LIMIT, paths.bounds().truncated(), context);
        }
    }

    private static void checkWitness(PathSearch.Path witness, Graph<String, AssumeEdge> graph, Set<String> admins,
                                     List<List<String>> all, List<List<String>> unconditional, String context) {
        if (all.isEmpty()) {
            assertNull(witness, context);
            return;
        }
        assertNotNull(witness, context);
        int expectedLength = unconditional.isEmpty() ? all.get(0).size() - 1
                : unconditional.stream().mapToInt(List::size).min().orElseThrow() - 1;
        assertEquals(expectedLength, witness.length(), context);
        assertEquals(unconditional.isEmpty(), witness.conditional(), context);
        assertTrue(admins.contains(witness.to()), context);
        List<String> principals = witness.principals();
        for (int i = 0; i + 1 < principals.size(); i++) {
            assertTrue(graph.containsEdge(principals.get(i), principals.get(i + 1)), context + ": step " + i + " of " + principals);
        }
    }

    /** Collects every simple path from the end of {@code path} that ends at its first administrator. */
    private static void enumerate(Graph<String, AssumeEdge> graph, Set<String> admins, String current, List<String> path,
                                  boolean conditional, List<List<String>> all, List<List<String>> unconditional) {
        if (admins.contains(current)) {
            all.add(List.copyOf(path));
            if (!conditional) {
                unconditional.add(List.copyOf(path));
            }
            return;
        }
        if (!graph.containsVertex(current)) {
            return;
        }
        for (AssumeEdge edge : graph.outgoingEdgesOf(current)) {
            if (path.contains(edge.target())) {
                continue;
            }
            path.add(edge.target());
            enumerate(graph, admins, edge.target(), path, conditional || edge.conditional(), all, unconditional);
            path.remove(path.size() - 1);
        }
    }

    /**
     * Writes one account of {@value #ROLES} roles that may all call sts:AssumeRole on any role; each trust policy
     * names random other roles, some of them only under an MFA condition. Returns the roles given AdministratorAccess.
     */
    private static Set<String> writeRandomAccount(long seed, Path file) throws IOException {
        Random random = new Random(seed);
        Set<String> admins = new LinkedHashSet<>();
        ObjectNode root = JSON.createObjectNode();
        root.putArray("UserDetailList");
        root.putArray("GroupDetailList");
        ArrayNode roles = root.putArray("RoleDetailList");
        for (int i = 0; i < ROLES; i++) {
            String arn = ACCOUNT + "role/r" + i;
            ObjectNode role = roles.addObject();
            role.put("Path", "/").put("RoleName", "r" + i).put("RoleId", String.format("AROAORACLE%011d", i)).put("Arn", arn)
                    .put("CreateDate", "2024-01-01T00:00:00Z");
            role.putArray("Tags");
            role.putArray("InstanceProfileList");
            role.putObject("RoleLastUsed");
            ArrayNode inline = role.putArray("RolePolicyList");
            ObjectNode assumeAny = inline.addObject().put("PolicyName", "assume-any");
            ObjectNode statement = assumeAny.putObject("PolicyDocument").put("Version", "2012-10-17").putArray("Statement").addObject();
            statement.put("Effect", "Allow").put("Action", "sts:AssumeRole").put("Resource", "*");

            ArrayNode attached = role.putArray("AttachedManagedPolicies");
            if (i < ADMINS) {
                attached.addObject().put("PolicyName", "AdministratorAccess").put("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess");
                admins.add(arn);
            }

            ObjectNode trust = role.putObject("AssumeRolePolicyDocument").put("Version", "2012-10-17");
            ArrayNode plain = JSON.createArrayNode();
            ArrayNode withMfa = JSON.createArrayNode();
            for (int j = 0; j < ROLES; j++) {
                if (j != i && random.nextDouble() < TRUST_PROBABILITY) {
                    (random.nextDouble() < CONDITIONAL_PROBABILITY ? withMfa : plain).add(ACCOUNT + "role/r" + j);
                }
            }
            ArrayNode statements = trust.putArray("Statement");
            // A trust policy needs at least one statement; a service principal adds no edge between roles.
            ObjectNode service = statements.addObject().put("Effect", "Allow").put("Action", "sts:AssumeRole");
            service.putObject("Principal").put("Service", "lambda.amazonaws.com");
            if (!plain.isEmpty()) {
                ObjectNode named = statements.addObject().put("Effect", "Allow").put("Action", "sts:AssumeRole");
                named.putObject("Principal").set("AWS", plain);
            }
            if (!withMfa.isEmpty()) {
                ObjectNode named = statements.addObject().put("Effect", "Allow").put("Action", "sts:AssumeRole");
                named.putObject("Principal").set("AWS", withMfa);
                named.putObject("Condition").putObject("Bool").put("aws:MultiFactorAuthPresent", "true");
            }
        }
        ArrayNode policies = root.putArray("Policies");
        ObjectNode admin = policies.addObject();
        admin.put("PolicyName", "AdministratorAccess").put("PolicyId", "ANPAIWMBCKSKIEE64ZLYK")
                .put("Arn", "arn:aws:iam::aws:policy/AdministratorAccess").put("Path", "/").put("DefaultVersionId", "v1")
                .put("AttachmentCount", ADMINS).put("PermissionsBoundaryUsageCount", 0).put("IsAttachable", true)
                .put("CreateDate", "2015-02-06T18:39:46Z").put("UpdateDate", "2015-02-06T18:39:46Z");
        ObjectNode version = admin.putArray("PolicyVersionList").addObject();
        version.put("VersionId", "v1").put("IsDefaultVersion", true).put("CreateDate", "2015-02-06T18:39:46Z");
        ObjectNode allowAll = version.putObject("Document").put("Version", "2012-10-17").putArray("Statement").addObject();
        allowAll.put("Effect", "Allow").put("Action", "*").put("Resource", "*");
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        assertFalse(admins.isEmpty());
        return admins;
    }
}
