package dev.nhigraph.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator without a database: determinism, exact tier counts, and the output folder check. */
class SyntheticOrganizationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void sameSeed_givesIdenticalFiles() throws Exception {
        SyntheticOrganization.generate(Tier.S, 7, dir.resolve("first"));
        SyntheticOrganization.generate(Tier.S, 7, dir.resolve("second"));

        Map<String, String> first = hashes(dir.resolve("first"));
        Map<String, String> second = hashes(dir.resolve("second"));

        assertEquals(230, first.size(), "229 bundle files and expected.json");
        assertEquals(first, second);
    }

    @Test
    void otherSeed_givesOtherContent() throws Exception {
        SyntheticOrganization.generate(Tier.S, 7, dir.resolve("seven"));
        SyntheticOrganization.generate(Tier.S, 8, dir.resolve("eight"));

        assertNotEquals(hashes(dir.resolve("seven")).get("expected.json"), hashes(dir.resolve("eight")).get("expected.json"));
    }

    @Test
    void tierS_exportsExactCounts() throws IOException {
        SyntheticOrganization.Result result = SyntheticOrganization.generate(Tier.S, 3, dir);

        ExportCounts counts = ExportCounts.of(result.bundle());

        assertEquals(5, counts.files);
        assertEquals(750, counts.roles);
        assertEquals(100, counts.users);
        assertEquals(25, counts.groups);
        assertEquals(400, counts.customerPolicies);
        assertEquals(200, counts.resourcePolicyFiles);
    }

    @Test
    void tierS_plantsThreePercentAssumeAny() throws IOException {
        SyntheticOrganization.Result result = SyntheticOrganization.generate(Tier.S, 3, dir);

        JsonNode counts = JSON.readTree(result.expected().toFile()).get("counts");

        assertEquals(Math.round(0.03 * 850), counts.get("principalsWithExplicitAssumeRoleOnAnyResource").asLong());
        assertEquals(2_000, counts.get("inventoryResources").asInt());
    }

    @Test
    void tierQ_exportsQuotaCounts() throws IOException {
        SyntheticOrganization.Result result = SyntheticOrganization.generate(Tier.Q, 3, dir);

        ExportCounts counts = ExportCounts.of(result.bundle());

        assertEquals(1, counts.files);
        assertEquals(5_000, counts.roles);
        assertEquals(5_000, counts.users);
        assertEquals(300, counts.groups);
        assertEquals(5_000, counts.customerPolicies);
        assertTrue(counts.maxAttachments <= 10, "at most 10 managed policies per principal, as IAM allows: " + counts.maxAttachments);
    }

    @Test
    void nonEmptyOut_isRejected() throws IOException {
        Files.writeString(dir.resolve("old.json"), "{}");

        BadInputException e = assertThrows(BadInputException.class, () -> SyntheticOrganization.generate(Tier.S, 1, dir));

        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    }

    @Test
    void apportion_addsUpToTotal() {
        int[] shares = Tier.apportion(750, new double[] {1, 1.0 / 2, 1.0 / 3, 1.0 / 4, 1.0 / 5});

        assertEquals(List.of(328, 164, 110, 82, 66), java.util.Arrays.stream(shares).boxed().toList());
    }

    private static Map<String, String> hashes(Path root) throws IOException, NoSuchAlgorithmException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
                hashes.put(root.relativize(file).toString().replace('\\', '/'), HexFormat.of().formatHex(digest));
            }
        }
        return hashes;
    }

    /** The entities of the authorization-details files of a bundle, counted from the files themselves. */
    private static final class ExportCounts {
        int files;
        int roles;
        int users;
        int groups;
        int customerPolicies;
        int maxAttachments;
        long resourcePolicyFiles;

        static ExportCounts of(Path bundle) throws IOException {
            ExportCounts counts = new ExportCounts();
            try (Stream<Path> iam = Files.list(bundle.resolve("iam"))) {
                for (Path file : iam.sorted().toList()) {
                    JsonNode export = JSON.readTree(file.toFile());
                    counts.files++;
                    counts.roles += export.get("RoleDetailList").size();
                    counts.users += export.get("UserDetailList").size();
                    counts.groups += export.get("GroupDetailList").size();
                    for (JsonNode policy : export.get("Policies")) {
                        if (!policy.get("Arn").asText().startsWith("arn:aws:iam::aws:")) {
                            counts.customerPolicies++;
                        }
                    }
                    for (String list : List.of("RoleDetailList", "UserDetailList", "GroupDetailList")) {
                        for (JsonNode principal : export.get(list)) {
                            counts.maxAttachments = Math.max(counts.maxAttachments, principal.get("AttachedManagedPolicies").size());
                        }
                    }
                }
            }
            try (Stream<Path> resources = Files.walk(bundle.resolve("resource-policies"))) {
                counts.resourcePolicyFiles = resources.filter(Files::isRegularFile).count();
            }
            return counts;
        }
    }
}
