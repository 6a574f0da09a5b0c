package dev.nhigraph.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading an exceptions file, and splitting findings into open ones and accepted risks by the report's date. */
class AcceptedRisksTest {

    private static final Set<String> RULES = Set.of("aws-role-unused", "gcp-user-managed-key");
    private static final String ROLE = "arn:aws:iam::111111111111:role/disaster-recovery";
    private static final Rule UNUSED = new Rule("aws-role-unused", "Role not used", Rule.HYGIENE, "aws", "low", "r", "fix",
            new Rule.Controls(List.of("A.5.18"), List.of("A.9.2.5")), List.of(), "RETURN 1", null, "aws/aws-role-unused.yaml");

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path file = dir.resolve("exceptions.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String entry(String expires) {
        return """
                exceptions:
                  - rule: aws-role-unused
                    principal: %s
                    owner: platform-team
                    reason: Assumed only in a regional failover.
                    expires: %s
                """.formatted(ROLE, expires);
    }

    private static Finding unused(String principal) {
        return Finding.of(UNUSED, principal, "AwsRole", null, "never used", false, null, null);
    }

    @Test
    void apply_beforeExpiry_accepts() throws IOException {
        AcceptedRisks risks = AcceptedRisks.read(file(entry("2027-06-30")), RULES);

        AcceptedRisks.Applied applied = risks.apply(List.of(unused(ROLE), unused(ROLE + "-2")), LocalDate.parse("2027-06-30"));

        assertEquals(List.of(ROLE + "-2"), applied.open().stream().map(Finding::principal).toList());
        assertEquals(1, applied.accepted().size());
        assertEquals("platform-team", applied.accepted().get(0).acceptedRisk().owner());
        assertEquals("applied", applied.statuses().get(0).status());
    }

    @Test
    void apply_afterExpiry_firesAgain() throws IOException {
        AcceptedRisks risks = AcceptedRisks.read(file(entry("2027-06-30")), RULES);

        AcceptedRisks.Applied applied = risks.apply(List.of(unused(ROLE)), LocalDate.parse("2027-07-01"));

        assertEquals(1, applied.open().size());
        assertNull(applied.open().get(0).acceptedRisk());
        assertTrue(applied.accepted().isEmpty());
        assertEquals("expired", applied.statuses().get(0).status());
    }

    @Test
    void apply_noMatchingFinding_unmatched() throws IOException {
        AcceptedRisks risks = AcceptedRisks.read(file(entry("2027-06-30")), RULES);

        AcceptedRisks.Applied applied = risks.apply(List.of(unused(ROLE + "-2")), LocalDate.parse("2027-01-01"));

        assertEquals("unmatched", applied.statuses().get(0).status());
    }

    @Test
    void read_badDate_namesFileEntryAndField() throws IOException {
        Path file = file(entry("2027-06-30") + """
                  - rule: gcp-user-managed-key
                    principal: serviceAccount:ci@p.iam.gserviceaccount.com
                    owner: ci-team
                    reason: Legacy runner.
                    expires: 30/06/2027
                """);

        BadInputException error = assertThrows(BadInputException.class, () -> AcceptedRisks.read(file, RULES));

        assertTrue(error.getMessage().contains(file + ":7:"), error.getMessage());
        assertTrue(error.getMessage().contains("entry 2, expires \"30/06/2027\" is not a date"), error.getMessage());
    }

    @Test
    void read_missingOwner_named() throws IOException {
        Path file = file(entry("2027-06-30").replace("    owner: platform-team\n", ""));

        BadInputException error = assertThrows(BadInputException.class, () -> AcceptedRisks.read(file, RULES));

        assertTrue(error.getMessage().contains("entry 1, owner is missing"), error.getMessage());
    }

    @Test
    void read_unknownRule_named() throws IOException {
        Path file = file(entry("2027-06-30").replace("rule: aws-role-unused", "rule: aws-role-unsued"));

        BadInputException error = assertThrows(BadInputException.class, () -> AcceptedRisks.read(file, RULES));

        assertTrue(error.getMessage().contains("entry 1, rule \"aws-role-unsued\" is not a rule id"), error.getMessage());
        assertTrue(error.getMessage().contains("did you mean \"aws-role-unused\"?"), error.getMessage());
    }

    @Test
    void read_ruleFarFromAny_noSuggestion() throws IOException {
        Path file = file(entry("2027-06-30").replace("rule: aws-role-unused", "rule: something-else-entirely"));

        BadInputException error = assertThrows(BadInputException.class, () -> AcceptedRisks.read(file, RULES));

        assertFalse(error.getMessage().contains("did you mean"), error.getMessage());
    }

    @Test
    void read_notYaml_named() throws IOException {
        Path file = file("exceptions:\n  - rule: aws-role-unused\n    owner: [unclosed\n");

        BadInputException error = assertThrows(BadInputException.class, () -> AcceptedRisks.read(file, RULES));

        assertTrue(error.getMessage().contains("is not valid YAML at line "), error.getMessage());
        assertTrue(error.getMessage().contains(", column "), error.getMessage());
    }
}
