package dev.nhigraph.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.NhigraphException;
import dev.nhigraph.gcp.GcpRoleCatalog;
import dev.nhigraph.policy.ActionCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The rule files under cypher/rules: the index, their fields, and that every right they name exists. */
class RuleCatalogTest {

    private static final Path FOLDER = Path.of("cypher/rules");
    private static final String VALID = """
            id: sample-rule
            title: A sample
            kind: toxic-combination
            cloud: aws
            severity: high
            rationale: Because.
            remediation: Fix it.
            controls:
              iso27001-2022: [A.5.15]
              iso27001-2013: [A.9.1.2]
            parts:
              - name: read
                actions: [s3:GetObject]
            """;

    @Test
    void index_listsEveryRuleFile() throws IOException {
        List<String> files;
        try (Stream<Path> walk = Files.walk(FOLDER)) {
            files = walk.filter(path -> path.toString().endsWith(".yaml")).map(path -> FOLDER.relativize(path).toString())
                    .sorted().toList();
        }

        assertEquals(files, RuleCatalog.index().stream().sorted().toList());
    }

    @Test
    void everyCitedControl_hasATitle() {
        for (Rule rule : RuleCatalog.loadDefault()) {
            rule.controls().iso2022().forEach(control ->
                    assertTrue(IsoControls.title("2022", control) != null, rule.id() + " cites 2022 " + control));
            rule.controls().iso2013().forEach(control ->
                    assertTrue(IsoControls.title("2013", control) != null, rule.id() + " cites 2013 " + control));
        }
    }

    @Test
    void everyAwsAction_isInTheCatalogue() {
        ActionCatalog catalog = ActionCatalog.loadDefault();
        for (Rule rule : RuleCatalog.loadDefault()) {
            for (Rule.Part part : rule.parts()) {
                part.actions().forEach(action -> assertFalse(catalog.match(action).isEmpty(), rule.id() + ": " + action));
            }
        }
    }

    @Test
    void everyGcpPermission_isInARole() {
        GcpRoleCatalog roles = GcpRoleCatalog.loadDefault();
        for (Rule rule : RuleCatalog.loadDefault()) {
            for (Rule.Part part : rule.parts()) {
                part.permissions().forEach(permission -> assertTrue(roles.anyRoleContains(permission), rule.id() + ": " + permission));
            }
        }
    }

    @Test
    void everyRule_namesControlsOfBothEditions() {
        for (Rule rule : RuleCatalog.loadDefault()) {
            assertFalse(rule.controls().iso2022().isEmpty(), rule.id());
            assertFalse(rule.controls().iso2013().isEmpty(), rule.id());
        }
    }

    @Test
    void parse_validRule() {
        Rule rule = RuleCatalog.parse("aws/sample-rule.yaml", VALID);

        assertEquals("sample-rule", rule.id());
        assertEquals(List.of("s3:GetObject"), rule.parts().get(0).actions());
        assertEquals(List.of("A.9.1.2"), rule.controls().iso2013());
    }

    @Test
    void parse_unknownFieldNamed() {
        NhigraphException error = assertThrows(NhigraphException.class,
                () -> RuleCatalog.parse("aws/sample-rule.yaml", VALID + "severty: low\n"));

        assertTrue(error.getMessage().contains("cypher/rules/aws/sample-rule.yaml"), error.getMessage());
        assertTrue(error.getMessage().contains("severty is not a rule field"), error.getMessage());
    }

    @Test
    void parse_badControlNamed() {
        NhigraphException error = assertThrows(NhigraphException.class,
                () -> RuleCatalog.parse("aws/sample-rule.yaml", VALID.replace("[A.5.15]", "[A.9.2.3]")));

        assertTrue(error.getMessage().contains("controls.iso27001-2022 \"A.9.2.3\""), error.getMessage());
    }

    @Test
    void parse_partWithoutActionsNamed() {
        NhigraphException error = assertThrows(NhigraphException.class,
                () -> RuleCatalog.parse("aws/sample-rule.yaml", VALID.replace("    actions: [s3:GetObject]\n", "")));

        assertTrue(error.getMessage().contains("parts[0].actions is missing"), error.getMessage());
    }
}
