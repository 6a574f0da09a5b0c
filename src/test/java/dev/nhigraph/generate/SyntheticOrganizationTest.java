package dev.nhigraph.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.BadInputException;
import dev.nhigraph.generate.gcp.GcpOrganization;
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
public class SyntheticOrganizationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GCP_FOLDER = SyntheticOrganization.BUNDLE_FOLDER + "/" + GcpOrganization.FOLDER + "/";

    @TempDir
    Path dir;

    @Test
    void sameSeed_givesIdenticalFiles() throws Exception {
        SyntheticOrganization.generate(Tier.S, 7, dir.resolve("first"));
        SyntheticOrganization.generate(Tier.S, 7, dir.resolve("second"));

        Map<String, String> first = hashes(dir.resolve("first"));
        Map<String, String> second = hashes(dir.resolve("second"));

        assertEquals(317, first.keySet().stream().filter(path -> !path.startsWith(GCP_FOLDER)).count(),
                "229 AWS bundle files, 5 credential reports, 82 key listings and expected.json");
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
     * Pins the bytes of S and Q: the digest of every file's path and SHA-256 for seed 7. A change of S or Q output must
     * be deliberate and update these digests. They were last updated when the credential reports and key listings
     * joined the bundle, with their counts in expected.json.
     *
     * <p>The AWS digests leave out the GCP part that S gained later: the files below bundle/gcp/ and the {@code gcp}
     * member of expected.json, which is its last member, so expected.json without it has the bytes it had before.
     * The GCP part has a digest of its own. Q has no GCP part, so its digest covers the whole folder.
     */
    @Test
    void tierSAndQ_keepTheirBytes() throws Exception {
        SyntheticOrganization.generate(Tier.S, 7, dir.resolve("s"));
        SyntheticOrganization.generate(Tier.Q, 7, dir.resolve("q"));

        assertEquals("7a1f0a8246e31a3d5afc03ed298f99cdbfbfa5576c27a61e1edf519f393c08fd", digest(awsHashes(dir.resolve("s"))));
        assertEquals("4a07ac5a583a50e90f689fe8ed8a28c7d0010ea9593b26b47221bcc856c6d1d4", digest(hashes(dir.resolve("q"))));
        assertEquals("0eb3d8bc645364ba405d9060724c8e8a406b69fa7a86a57cd516cebb7fb8b41f", digest(gcpHashes(dir.resolve("s"))));
    }

    @Test
    void tierQ_writesNoGcpPart() throws IOException {
        SyntheticOrganization.Result result = SyntheticOrganization.generate(Tier.Q, 3, dir);

        assertFalse(Files.exists(result.bundle().resolve(GCP_FOLDER.substring("bundle/".length()))));
        assertFalse(JSON.readTree(result.expected().toFile()).has("gcp"));
    }

    /** Returns the hashes of the AWS part: the files outside bundle/gcp/, and expected.json without its gcp member. */
    private Map<String, String> awsHashes(Path root) throws Exception {
        Map<String, String> hashes = hashes(root);
        hashes.keySet().removeIf(path -> path.startsWith(GCP_FOLDER));
        ObjectNode expected = (ObjectNode) JSON.readTree(root.resolve(SyntheticOrganization.EXPECTED_FILE).toFile());
        expected.remove("gcp");
        hashes.put(SyntheticOrganization.EXPECTED_FILE, hashOf(expected));
        return hashes;
    }

    /** Returns the hashes of the GCP part: the files below bundle/gcp/, and the gcp member of expected.json. */
    private Map<String, String> gcpHashes(Path root) throws Exception {
        Map<String, String> hashes = hashes(root);
        hashes.keySet().removeIf(path -> !path.startsWith(GCP_FOLDER));
        JsonNode gcp = JSON.readTree(root.resolve(SyntheticOrganization.EXPECTED_FILE).toFile()).get("gcp");
        hashes.put(SyntheticOrganization.EXPECTED_FILE + "#gcp", hashOf(gcp));
        return hashes;
    }

    /** Returns the SHA-256 of {@code content} as the generator writes it. */
    private String hashOf(JsonNode content) throws Exception {
        Path file = Files.createTempFile(dir, "part", ".json");
        JsonOutput.write(file, content);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
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

    /** Returns the SHA-256 of every file below {@code root} by its relative path with '/' separators. */
    public static Map<String, String> hashes(Path root) throws IOException, NoSuchAlgorithmException {
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
                // The credential reports and key listings beside the exports are counted by their own tests.
                for (Path file : iam.filter(f -> f.getFileName().toString().startsWith("authorization-details-")).sorted().toList()) {
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
