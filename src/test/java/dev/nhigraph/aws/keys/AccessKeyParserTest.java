package dev.nhigraph.aws.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.aws.keys.AccessKeyFacts.AccessKey;
import dev.nhigraph.aws.keys.AccessKeyFacts.ReportUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credential report, list-access-keys and get-access-key-last-used readers, and how they are joined. */
class AccessKeyParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPORT = AccessKeyLoadTest.BUNDLE.resolve("iam/credential-report-111111111111.json");
    private static final String HEADER = "user,arn,user_creation_time,password_enabled,password_last_used,mfa_active,"
            + "access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_2_active,"
            + "access_key_2_last_rotated";

    @TempDir
    Path dir;

    @Test
    void decodedCsv_readsLikeJsonReport() throws IOException {
        JsonNode report = JSON.readTree(REPORT.toFile());
        Path csv = dir.resolve("credential-report.csv");
        Files.write(csv, Base64.getDecoder().decode(report.path("Content").asText()));

        AccessKeyFacts fromJson = parse(p -> p.add(AccessKeyParser.FileKind.CREDENTIAL_REPORT, report, REPORT));
        AccessKeyFacts fromCsv = parse(p -> p.addCsv(read(csv), csv));

        assertEquals(5, fromJson.users().size());
        assertEquals(fromJson.users().stream().map(u -> withoutReportTime(u)).toList(),
                fromCsv.users().stream().map(u -> withoutReportTime(u)).toList());
        assertEquals("2026-11-30T08:00:00Z", fromJson.collectedAt());
        assertNull(fromCsv.collectedAt());
    }

    @Test
    void reportPlaceholders_readAsNoValue() throws IOException {
        Path csv = write("report.csv", HEADER + "\n<root_account>,arn:aws:iam::111111111111:root,2019-01-01T00:00:00+00:00,"
                + "not_supported,no_information,true,false,N/A,N/A,false,N/A\n");

        ReportUser root = parse(p -> p.addCsv(read(csv), csv)).users().get(0);

        assertTrue(root.root());
        assertNull(root.passwordEnabled());
        assertNull(root.passwordLastUsed());
        assertEquals(true, root.mfaActive());
        assertEquals(List.of(), root.keys());
    }

    @Test
    void badDate_skipsRowWithLineAndColumn() throws IOException {
        Path csv = write("report.csv", HEADER + "\nbuilder,arn:aws:iam::111111111111:user/builder,2024-01-01T00:00:00+00:00,"
                + "false,N/A,false,true,01/02/2024,N/A,false,N/A\n");

        AccessKeyFacts facts = parse(p -> p.addCsv(read(csv), csv));

        assertEquals(List.of(), facts.users());
        SkippedItem skipped = facts.skipped().get(0);
        assertEquals("line 2 (builder)", skipped.item());
        assertTrue(skipped.reason().contains("access_key_1_last_rotated \"01/02/2024\" is not an ISO-8601"), skipped.reason());
    }

    @Test
    void listingWithoutAccount_skippedWithLayout() throws IOException {
        Path listing = write("keys.json", """
                {"AccessKeyMetadata": [{"UserName": "nobody", "AccessKeyId": "AKIAFIXTURENOBODY001", "Status": "Active",
                 "CreateDate": "2026-01-01T00:00:00Z"}]}""");

        AccessKeyFacts facts = parse(p -> p.add(AccessKeyParser.FileKind.ACCESS_KEY_LIST, tree(listing), listing));

        assertEquals(List.of(), facts.keys());
        assertEquals("AKIAFIXTURENOBODY001", facts.skipped().get(0).item());
        assertTrue(facts.skipped().get(0).reason().contains("iam/access-keys/ACCOUNT/USER_NAME.json"),
                facts.skipped().get(0).reason());
    }

    @Test
    void listingWithoutAccount_placedByIamExport() throws IOException {
        Path listing = write("keys.json", """
                {"AccessKeyMetadata": [{"UserName": "builder", "AccessKeyId": "AKIAFIXTUREBUILDER01", "Status": "Active",
                 "CreateDate": "2026-01-01T00:00:00Z"}]}""");
        AccessKeyParser parser = new AccessKeyParser();
        parser.add(AccessKeyParser.FileKind.ACCESS_KEY_LIST, tree(listing), listing);

        AccessKeyFacts facts = parser.build(Map.of("builder", Set.of("222222222222")));

        AccessKey key = facts.keys().get(0);
        assertEquals("222222222222", key.account());
        assertEquals(false, key.usageKnown());
    }

    @Test
    void reportKeyWithoutListedMatch_warnsAndAddsNoKey() throws IOException {
        Path csv = write("report.csv", HEADER + "\nbuilder,arn:aws:iam::111111111111:user/builder,2024-01-01T00:00:00+00:00,"
                + "false,N/A,false,true,2025-05-05T00:00:00+00:00,2026-01-01T00:00:00+00:00,false,N/A\n");
        Path listing = write("111111111111/builder.json", """
                {"AccessKeyMetadata": [{"UserName": "builder", "AccessKeyId": "AKIAFIXTUREBUILDER01", "Status": "Active",
                 "CreateDate": "2026-03-03T00:00:00Z"}]}""");

        AccessKeyFacts facts = parse(p -> {
            p.addCsv(read(csv), csv);
            p.add(AccessKeyParser.FileKind.ACCESS_KEY_LIST, tree(listing), listing);
        });

        assertEquals(List.of("AKIAFIXTUREBUILDER01"), facts.keys().stream().map(AccessKey::id).toList());
        assertNull(facts.keys().get(0).lastUsedAt());
        assertTrue(facts.warnings().get(0).contains("matches no key that list-access-keys lists"), facts.warnings().toString());
    }

    @Test
    void keysOfSameSecond_bothJoined() throws IOException {
        Path csv = write("report.csv", HEADER + "\nbuilder,arn:aws:iam::111111111111:user/builder,2024-01-01T00:00:00+00:00,"
                + "false,N/A,false,true,2025-05-05T00:00:00+00:00,2026-01-01T00:00:00+00:00,true,2025-05-05T00:00:00+00:00\n");
        Path listing = write("111111111111/builder.json", """
                {"AccessKeyMetadata": [
                 {"UserName": "builder", "AccessKeyId": "AKIAFIXTUREBUILDER01", "Status": "Active", "CreateDate": "2025-05-05T00:00:00Z"},
                 {"UserName": "builder", "AccessKeyId": "AKIAFIXTUREBUILDER02", "Status": "Active", "CreateDate": "2025-05-05T00:00:00Z"}]}""");

        AccessKeyFacts facts = parse(p -> {
            p.addCsv(read(csv), csv);
            p.add(AccessKeyParser.FileKind.ACCESS_KEY_LIST, tree(listing), listing);
        });

        assertEquals(List.of(1, 2), facts.keys().stream().map(AccessKey::slot).toList());
        assertEquals(List.of(), facts.warnings());
    }

    @Test
    void recognise_eachKind() {
        assertEquals(AccessKeyParser.FileKind.CREDENTIAL_REPORT,
                AccessKeyParser.recognise(node("{\"Content\": \"\", \"GeneratedTime\": \"2026-01-01T00:00:00Z\"}")));
        assertEquals(AccessKeyParser.FileKind.ACCESS_KEY_LIST, AccessKeyParser.recognise(node("{\"AccessKeyMetadata\": []}")));
        assertEquals(AccessKeyParser.FileKind.ACCESS_KEY_LAST_USED,
                AccessKeyParser.recognise(node("{\"UserName\": \"u\", \"AccessKeyLastUsed\": {}}")));
        assertNull(AccessKeyParser.recognise(node("{\"Content\": \"\"}")));
    }

    private interface Reads {
        void into(AccessKeyParser parser) throws IOException;
    }

    private static AccessKeyFacts parse(Reads reads) throws IOException {
        AccessKeyParser parser = new AccessKeyParser();
        reads.into(parser);
        return parser.build(Map.of());
    }

    private static ReportUser withoutReportTime(ReportUser user) {
        return new ReportUser(user.arn(), user.name(), user.account(), user.root(), user.createdAt(), user.passwordEnabled(),
                user.passwordLastUsed(), user.passwordLastChanged(), user.mfaActive(), user.keys(), null);
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static JsonNode tree(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    private static JsonNode node(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
