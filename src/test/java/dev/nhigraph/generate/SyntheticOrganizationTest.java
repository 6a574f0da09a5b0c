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

    /**
     * Pins the bytes of S and Q: the digest of every file's path and SHA-256 for seed 7, as the generator wrote them
     * before M and L were added. A change of S or Q output must be deliberate and update these digests.
     */
    @Test
    void tierSAndQ_keepTheirBytes() throws Exception {
        SyntheticOrganization.generate(Tier.S, 7, dir.resolve("s"));
        SyntheticOrganization.generate(Tier.Q, 7, dir.resolve("q"));

        assertEquals("72c6ecc4ee672fc9bc07e6a6856613b4dcb8b9cb0a955b2dfe2f00d02bf21dc2", digest(hashes(dir.resolve("s"))));
        assertEquals("097dc6dbe553f4df665b7acafc9bebf0685c53d450a0a4ef9322d4d549934477", digest(hashes(dir.resolve("q"))));
    }

    @Test
    void apportionCapped_redistributesAboveCap() {
        int[] shares = Tier.apportionCapped(100, new double[] {8, 1, 1}, 50);

        assertEquals(List.of(50, 25, 25), java.util.Arrays.stream(shares).boxed().toList());
    }

    @Test
    void apportionCapped_equalsApportionBelowCap() {
        double[] weights = {1, 1.0 / 2, 1.0 / 3, 1.0 / 4, 1.0 / 5};

        assertEquals(java.util.Arrays.toString(Tier.apportion(750, weights)),
                java.util.Arrays.toString(Tier.apportionCapped(750, weights, 328)));
    }

    @Test
    void tierL_largestAccountsStopAtRoleQuota() {
        List<Tier.AccountPlan> plans = Tier.L.accounts();

        assertEquals(500, plans.size());
        assertEquals(250_000, plans.stream().mapToInt(Tier.AccountPlan::roles).sum());
        assertEquals(1_000_000, plans.stream().mapToInt(Tier.AccountPlan::inventory).sum());
        assertEquals(Tier.MAX_ROLES_PER_ACCOUNT, plans.stream().mapToInt(Tier.AccountPlan::roles).max().orElseThrow());
    }

    /** Returns the SHA-256 of the lines PATH=HASH in path order, one digest for a whole output folder. */
    private static String digest(Map<String, String> hashes) throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        hashes.forEach((path, hash) -> digest.update((path + "=" + hash + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(digest.digest());
    }

    static Map<String, String> hashes(Path root) throws IOException, NoSuchAlgorithmException {
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
