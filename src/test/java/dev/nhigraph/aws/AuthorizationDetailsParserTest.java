package dev.nhigraph.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.BadInputException;
import dev.nhigraph.aws.IamModel.Role;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthorizationDetailsParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void sample_countsMatchTheFile() throws IOException {
        JsonNode file = JSON.readTree(SharedGraph.SAMPLE.toFile());

        AuthorizationDetails details = AuthorizationDetailsParser.parse(List.of(SharedGraph.SAMPLE));

        assertEquals(file.get("UserDetailList").size(), details.users().size());
        assertEquals(file.get("GroupDetailList").size(), details.groups().size());
        assertEquals(file.get("RoleDetailList").size(), details.roles().size());
        assertEquals(file.get("Policies").size(), details.policies().size());
        assertEquals(List.of(), details.skipped());
        assertEquals(List.of("012345678901", "200611803367"), List.copyOf(details.accounts()));
    }

    @Test
    void managedPolicy_usesDefaultVersionOnly() throws IOException {
        Path fixture = Path.of("src/test/resources/fixtures/assume-same-account.json");

        AuthorizationDetails details = AuthorizationDetailsParser.parse(List.of(fixture));

        String document = details.policies().stream()
                .filter(p -> p.arn().endsWith(":policy/assume-deploy")).findFirst().orElseThrow().document();
        assertTrue(document.contains("role/dep*"), document);
    }

    @Test
    void urlEncodedDocuments_areDecoded() throws IOException {
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}}";
        String inline = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Zürich+Genève\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/a+b\"}]}";
        Path file = write("raw-api.json", """
                {"RoleDetailList": [{"RoleName": "app", "Arn": "arn:aws:iam::111111111111:role/app",
                  "AssumeRolePolicyDocument": "%s",
                  "RolePolicyList": [{"PolicyName": "read", "PolicyDocument": "%s"}]}]}"""
                .formatted(encode(trust), encode(inline)));

        Role role = AuthorizationDetailsParser.parse(List.of(file)).roles().iterator().next();

        assertTrue(role.trustPolicy().contains("ec2.amazonaws.com"), role.trustPolicy());
        String decoded = role.inlinePolicies().get(0).document();
        assertTrue(decoded.contains("Zürich+Genève"), decoded);
        assertTrue(decoded.contains("arn:aws:s3:::b/a+b"), decoded);
    }

    @Test
    void notJson_namesFileAndPosition() throws IOException {
        Path file = write("broken.json", "{\n  \"UserDetailList\": [\n    {\"UserName\": }\n  ]\n}");

        BadInputException error = assertThrows(BadInputException.class, () -> AuthorizationDetailsParser.parse(List.of(file)));

        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("line 3"), error.getMessage());
        assertTrue(error.getMessage().contains("column"), error.getMessage());
    }

    @Test
    void otherJson_isRejectedAsNotAnExport() throws IOException {
        Path file = write("bucket-policy.json", "{\"Policy\": \"{}\"}");

        BadInputException error = assertThrows(BadInputException.class, () -> AuthorizationDetailsParser.parse(List.of(file)));

        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("get-account-authorization-details"), error.getMessage());
    }

    @Test
    void jsonArray_isRejectedAsNotAnExport() throws IOException {
        Path file = write("list.json", "[1, 2, 3]");

        assertThrows(BadInputException.class, () -> AuthorizationDetailsParser.parse(List.of(file)));
    }

    @Test
    void entityWithoutArn_namesListAndIndex() throws IOException {
        Path file = write("no-arn.json", """
                {"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::111111111111:user/a"}, {"UserName": "b"}]}""");

        BadInputException error = assertThrows(BadInputException.class, () -> AuthorizationDetailsParser.parse(List.of(file)));

        assertTrue(error.getMessage().contains("UserDetailList[1]"), error.getMessage());
        assertTrue(error.getMessage().contains("\"Arn\""), error.getMessage());
    }

    @Test
    void invalidPolicyDocument_isSkippedWithReason() throws IOException {
        Path file = write("bad-policy.json", """
                {"UserDetailList": [{"UserName": "a", "Arn": "arn:aws:iam::111111111111:user/a",
                  "UserPolicyList": [{"PolicyName": "not-a-policy", "PolicyDocument": {"Statement": [{"Effect": "Maybe", "Action": "s3:*"}]}},
                                     {"PolicyName": "good", "PolicyDocument": {"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}}]}]}""");

        AuthorizationDetails details = AuthorizationDetailsParser.parse(List.of(file));

        assertEquals(1, details.skipped().size());
        assertTrue(details.skipped().get(0).item().contains("not-a-policy"), details.skipped().get(0).item());
        assertTrue(details.skipped().get(0).reason().contains("Effect"), details.skipped().get(0).reason());
        assertEquals(1, details.users().iterator().next().inlinePolicies().size());
    }

    @Test
    void invalidTrustPolicy_leavesRoleWithoutTrust() throws IOException {
        Path file = write("bad-trust.json", """
                {"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::111111111111:role/r", "AssumeRolePolicyDocument": "%7Bnot json"}]}""");

        AuthorizationDetails details = AuthorizationDetailsParser.parse(List.of(file));

        assertNull(details.roles().iterator().next().trustPolicy());
        assertEquals(1, details.skipped().size());
    }

    @Test
    void unknownTopLevelField_andTruncation_areWarned() throws IOException {
        Path file = write("page.json", """
                {"UserDetailList": [], "IsTruncated": true, "Marker": "abc", "Surprise": 1}""");

        AuthorizationDetails details = AuthorizationDetailsParser.parse(List.of(file));

        assertEquals(2, details.warnings().size(), details.warnings().toString());
        assertTrue(details.warnings().stream().anyMatch(w -> w.contains("Surprise")));
        assertTrue(details.warnings().stream().anyMatch(w -> w.contains("IsTruncated")));
    }

    @Test
    void severalFiles_mergeByArn() {
        Path same = Path.of("src/test/resources/fixtures/assume-same-account.json");
        Path cross = Path.of("src/test/resources/fixtures/assume-cross-account.json");

        AuthorizationDetails details = AuthorizationDetailsParser.parse(List.of(same, cross, same));

        assertEquals(6, details.roles().size());
        assertEquals(List.of("111111111111", "222222222222"), List.copyOf(details.accounts()));
        assertEquals(3, details.users().size());
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    /** URL-encodes the way IAM does (RFC 3986: a space is %20 and '+' is %2B). */
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
