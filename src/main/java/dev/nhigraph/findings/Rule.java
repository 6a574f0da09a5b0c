package dev.nhigraph.findings;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One rule of the catalogue, read from a file under {@code cypher/rules/}.
 *
 * @param id          a stable id such as {@code aws-iam-change-and-read-secrets}, which exceptions and reports name
 * @param kind        {@value #TOXIC_COMBINATION}, {@value #HYGIENE} or {@value #ESCALATION}; the last two have a check
 * @param cloud       aws or gcp, or any for a hygiene rule whose check covers both clouds
 * @param severity    critical, high, medium or low
 * @param rationale   why the finding matters, in a few sentences
 * @param remediation what to change so that the rule no longer fires
 * @param controls    the ISO/IEC 27001 Annex A controls that the finding is evidence for
 * @param parts       for a toxic combination, the permission sets that one principal must hold together, directly
 *                    or through principals it can become. Other kinds have none
 * @param cypher      for a rule with a check, the read-only query that returns one row per finding; null otherwise
 * @param builtin     for a rule whose check needs policy parsing, the name of the Java check; null otherwise
 * @param file        the rule's file, for messages
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rule(String id, String title, String kind, String cloud, String severity, String rationale,
                   String remediation, Controls controls, List<Part> parts, String cypher, String builtin, String file) {

    public static final String TOXIC_COMBINATION = "toxic-combination";
    public static final String HYGIENE = "hygiene";
    public static final String ESCALATION = "escalation";

    /** Severities from the most to the least urgent; reports sort and group by this order. */
    public static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low");

    /**
     * The Annex A controls of both editions of ISO/IEC 27001, since auditors of older certificates still use the
     * 2013 numbers.
     *
     * @param iso2022 controls of ISO/IEC 27001:2022 Annex A, such as {@code A.5.15}
     * @param iso2013 controls of ISO/IEC 27001:2013 Annex A, such as {@code A.9.2.3}
     */
    public record Controls(List<String> iso2022, List<String> iso2013) {
    }

    /**
     * One half of a toxic combination: a set of rights, any one of which is enough.
     *
     * @param name        what the rights let a principal do, such as "change IAM policies"
     * @param actions     AWS action patterns as an IAM policy writes them, wildcards allowed; for AWS rules
     * @param permissions GCP permissions in allow-policy form, such as {@code secretmanager.versions.access}; for GCP
     *                    rules
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Part(String name, List<String> actions, List<String> permissions) {
    }

    public boolean toxicCombination() {
        return TOXIC_COMBINATION.equals(kind);
    }

    /** Returns the position of the severity in {@link #SEVERITIES}, for sorting. */
    public static int severityRank(String severity) {
        int rank = SEVERITIES.indexOf(severity);
        return rank < 0 ? SEVERITIES.size() : rank;
    }
}
