package dev.nhigraph.findings;

import java.util.List;

/**
 * Renders the rule catalogue as the Markdown that docs/findings.md holds between its {@value #START} and
 * {@value #END} markers. A test compares the two, so the page cannot drift from the rule files.
 */
public final class RuleDocs {

    public static final String START = "<!-- rules:start (generated from cypher/rules by RuleDocs; do not edit) -->";
    public static final String END = "<!-- rules:end -->";

    private RuleDocs() {
    }

    /** Returns the generated section, markers included. */
    public static String render(List<Rule> rules) {
        StringBuilder md = new StringBuilder(START).append("\n\n");
        md.append("| rule | kind | cloud | severity | ISO/IEC 27001:2022 | ISO/IEC 27001:2013 |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Rule rule : rules) {
            md.append("| [`").append(rule.id()).append("`](#").append(rule.id()).append(") | ").append(rule.kind()).append(" | ")
                    .append(rule.cloud()).append(" | ").append(rule.severity()).append(" | ")
                    .append(String.join(", ", rule.controls().iso2022())).append(" | ")
                    .append(String.join(", ", rule.controls().iso2013())).append(" |\n");
        }
        for (Rule rule : rules) {
            md.append("\n### ").append(rule.id()).append("\n\n**").append(rule.title()).append("** (").append(rule.severity())
                    .append(", ").append(rule.kind()).append(", ").append(rule.cloud()).append("; `").append(rule.file())
                    .append("`)\n\n").append(rule.rationale()).append("\n\n");
            for (Rule.Part part : rule.parts()) {
                List<String> rights = part.actions().isEmpty() ? part.permissions() : part.actions();
                md.append("- ").append(part.name()).append(": any of `").append(String.join("`, `", rights)).append("`\n");
            }
            if (!rule.parts().isEmpty()) {
                md.append('\n');
            }
            if (rule.builtin() != null) {
                md.append("Check: the Java check `").append(rule.builtin()).append("`.\n\n");
            }
            md.append("Remediation: ").append(rule.remediation()).append("\n");
        }
        return md.append('\n').append(END).toString();
    }
}
