package dev.nhigraph.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.PolicyDocuments;
import java.util.List;
import org.neo4j.driver.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the roles that any identity of an OIDC provider can assume: any repository on GitHub, any service account
 * of an EKS cluster, or any subject of another OIDC provider. These come from trust policies without a {@code sub}
 * condition, or with a {@code sub} pattern that matches every subject (for GitHub, every repository owner).
 *
 * <p>Reads the FederatedSubject nodes with {@code anySubject: true} and their CAN_ASSUME edges, so a load must
 * have run. SAML subjects are left out: a SAML identity provider decides in its assertions which of its users get
 * which role, so a trust policy without {@code SAML:sub} is the usual setup and not a finding.
 */
public final class FederatedTrustFindings {

    /** The rule id of these findings. */
    public static final String RULE = "federated-any-subject";

    /**
     * ISO/IEC 27001:2022 Annex A controls the finding is evidence for: access control (5.15) and access rights
     * (5.18), since identities outside the organisation get the role.
     */
    public static final List<String> CONTROLS = List.of("ISO/IEC 27001:2022 A.5.15", "ISO/IEC 27001:2022 A.5.18");

    private static final TypeReference<List<Evidence>> EVIDENCE_LIST = new TypeReference<>() {
    };
    private static final Logger log = LoggerFactory.getLogger(FederatedTrustFindings.class);

    private FederatedTrustFindings() {
    }

    /**
     * A role that every subject of a provider can assume.
     *
     * @param severity        critical when the role is, or can make itself, an administrator; high otherwise
     * @param role            the role ARN
     * @param roleName        the role name
     * @param account         the role's account
     * @param provider        the Federated principal: a provider ARN or web identity host
     * @param providerKind    github, eks or oidc
     * @param subject         the FederatedSubject node id
     * @param pattern         the {@code sub} pattern as written, or {@code *} when the statement has no {@code sub}
     *                        condition
     * @param description     who can assume the role, such as "any repository on GitHub"
     * @param conditional     true when other conditions of the trust statement may still reject a token
     * @param adminEquivalent the role's adminEquivalent property (YES or CONDITIONAL), or null
     * @param evidence        the trust statements that admit the subject, with their conditions
     * @param controls        the controls of {@link #CONTROLS}
     */
    public record Finding(String rule, String severity, String role, String roleName, String account, String provider,
                          String providerKind, String subject, String pattern, String description, boolean conditional,
                          String adminEquivalent, List<Evidence> evidence, List<String> controls) {
    }

    /** Returns one finding per role and provider subject that admits any subject, ordered by severity, then role. */
    public static List<Finding> find(GraphStore store) {
        List<Finding> findings = store.read(tx -> tx.run("""
                MATCH (s:FederatedSubject {anySubject: true})-[e:CAN_ASSUME]->(role:AwsRole)
                WHERE s.protocol = 'oidc'
                RETURN role.id AS roleArn, role.name AS roleName, role.account AS account, role.adminEquivalent AS admin,
                       s.provider AS provider, s.providerKind AS providerKind, s.id AS subject, s.pattern AS pattern,
                       s.name AS description, e.conditional AS conditional, e.evidence AS evidence
                ORDER BY CASE WHEN admin IS NULL THEN 1 ELSE 0 END, roleArn, subject""")
                .list(FederatedTrustFindings::finding));
        log.info("Found {} {} findings: roles that any subject of an OIDC provider can assume", findings.size(), RULE);
        return findings;
    }

    private static Finding finding(Record record) {
        String admin = record.get("admin").asString(null);
        return new Finding(RULE, admin == null ? "high" : "critical", record.get("roleArn").asString(),
                record.get("roleName").asString(null), record.get("account").asString(null),
                record.get("provider").asString(null), record.get("providerKind").asString(null),
                record.get("subject").asString(), record.get("pattern").asString(null), record.get("description").asString(null),
                record.get("conditional").asBoolean(false), admin, readEvidence(record.get("evidence").asString("[]")),
                CONTROLS);
    }

    private static List<Evidence> readEvidence(String json) {
        try {
            return PolicyDocuments.JSON.readValue(json, EVIDENCE_LIST);
        } catch (JsonProcessingException e) {
            // Written by this program, so unreadable evidence means another tool changed the graph.
            log.warn("Unreadable evidence property left out of a federated trust finding: {}", e.getOriginalMessage());
            return List.of();
        }
    }
}
