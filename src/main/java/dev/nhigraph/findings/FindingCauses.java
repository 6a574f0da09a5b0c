package dev.nhigraph.findings;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nhigraph.policy.Evidence;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Groups open findings by cause, so that one managed policy attached to 40 roles is one entry with 40 principals
 * instead of 40 entries. A finding's cause is its rule and:
 * <ul>
 * <li>for a finding with parts (a toxic combination, an escalation or an administrator finding), the statements or
 * bindings of its evidence, whoever the principal is;</li>
 * <li>for a hygiene finding whose facts carry the statements it read ({@code facts.evidence}, as the trust rules
 * give), those statements;</li>
 * <li>otherwise its detail and resource, so that "no tag named owner" on 100 roles is one cause, while a finding
 * whose detail names its own key or date is a cause of its own.</li>
 * </ul>
 *
 * <p>A cause's id is the first 12 hexadecimal digits of the SHA-256 of that key, so that the same cause keeps its id
 * from one report to the next.
 */
public final class FindingCauses {

    /**
     * One cause and the principals whose findings it gives.
     *
     * @param id          the cause's id, which {@link Finding#cause()} names
     * @param description the statements behind the findings, or the detail of the first finding when there are none
     * @param evidence    the statements or bindings of the first finding, each once; null for a hygiene cause
     * @param count       the number of open findings of this cause, one per principal and resource
     * @param principals  the principals of those findings, each once, in the order of the findings
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cause(String id, String rule, String title, String severity, String description, List<Evidence> evidence,
                        int count, List<String> principals) {
    }

    /** The findings with their cause set, and the causes in the order of their first finding. */
    record Grouped(List<Finding> findings, List<Cause> causes) {
    }

    private FindingCauses() {
    }

    /** Returns {@code findings}, each with its cause, and the distinct causes. */
    static Grouped group(List<Finding> findings) {
        Map<String, List<Finding>> byId = new LinkedHashMap<>();
        List<Finding> withCause = new ArrayList<>();
        for (Finding finding : findings) {
            String id = id(key(finding));
            byId.computeIfAbsent(id, key -> new ArrayList<>()).add(finding);
            withCause.add(finding.withCause(id));
        }

        List<Cause> causes = new ArrayList<>();
        byId.forEach((id, members) -> {
            Finding first = members.get(0);
            Set<String> principals = new LinkedHashSet<>();
            members.forEach(member -> principals.add(member.principal()));
            List<Evidence> evidence = evidence(first);
            causes.add(new Cause(id, first.rule(), first.title(), first.severity(), description(first, evidence),
                    evidence.isEmpty() ? null : evidence, members.size(), List.copyOf(principals)));
        });
        return new Grouped(withCause, causes);
    }

    /** Returns the text that decides a finding's cause; findings with the same key are grouped. */
    static String key(Finding finding) {
        // Sorted, so that the order in which a path search listed the statements does not split a cause.
        Set<String> statements = new TreeSet<>();
        evidence(finding).forEach(statement -> statements.add(statementName(statement)));
        if (!statements.isEmpty()) {
            return finding.rule() + "\nstatements\n" + String.join("\n", statements);
        }
        if (finding.facts() != null && finding.facts().get("evidence") != null) {
            return finding.rule() + "\nfacts\n" + finding.facts().get("evidence");
        }
        return finding.rule() + "\ndetail\n" + finding.detail() + "\n" + finding.resource();
    }

    /**
     * Returns the evidence of every part of {@code finding}, each statement once: a statement that reaches the
     * principal both directly and through a group is one statement.
     */
    private static List<Evidence> evidence(Finding finding) {
        if (finding.parts() == null) {
            return List.of();
        }
        Map<String, Evidence> byName = new LinkedHashMap<>();
        finding.parts().forEach(part -> {
            if (part.evidence() != null) {
                part.evidence().forEach(statement -> byName.putIfAbsent(statementName(statement), statement));
            }
        });
        return List.copyOf(byName.values());
    }

    /** Returns "POLICY#INDEX", which names a statement or binding in the graph, or the note of evidence with no policy. */
    private static String statementName(Evidence statement) {
        return statement.policy() == null ? String.valueOf(statement.note()) : statement.policy() + "#" + statement.statement();
    }

    private static String description(Finding finding, List<Evidence> evidence) {
        if (evidence.isEmpty()) {
            return finding.detail();
        }
        List<String> names = new ArrayList<>();
        for (Evidence statement : evidence) {
            String item = "gcp-binding".equals(statement.policyKind()) ? " binding " : " statement ";
            names.add(statement.policy() == null ? statement.note()
                    : (statement.policyName() == null ? statement.policy() : statement.policyName()) + item + statement.statement());
        }
        return String.join("; ", names);
    }

    private static String id(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime, which every Java runtime must provide", e);
        }
    }
}
