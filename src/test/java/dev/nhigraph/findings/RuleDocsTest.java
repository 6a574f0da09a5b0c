package dev.nhigraph.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/findings.md lists every rule as the rule files give it. Run this test with {@code -Dnhigraph.writeRuleDocs=true}
 * to rewrite the generated section after changing a rule.
 */
class RuleDocsTest {

    private static final Path DOC = Path.of("docs/findings.md");

    @Test
    void findingsDoc_matchesRuleFiles() throws IOException {
        String doc = Files.readString(DOC);
        int start = doc.indexOf(RuleDocs.START);
        int end = doc.indexOf(RuleDocs.END);
        assertTrue(start >= 0, DOC + " lacks the marker " + RuleDocs.START);
        assertTrue(end > start, DOC + " lacks the marker " + RuleDocs.END + " after the start marker");
        String current = doc.substring(start, end + RuleDocs.END.length());
        String generated = RuleDocs.render(RuleCatalog.loadDefault());

        if (Boolean.getBoolean("nhigraph.writeRuleDocs")) {
            Files.writeString(DOC, doc.replace(current, generated));
            return;
        }
        assertEquals(generated, current, DOC + " is out of date with cypher/rules; run mvn -o -q test -Dtest=RuleDocsTest"
                + " -Dnhigraph.writeRuleDocs=true");
    }
}
