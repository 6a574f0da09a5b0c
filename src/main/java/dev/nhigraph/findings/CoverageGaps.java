package dev.nhigraph.findings;

import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.gcp.GcpInventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gaps of a report: inputs the snapshot lacks, items the load skipped, and facts the exports never carry. A report without findings means little unless the reader also sees these.
 */
final class CoverageGaps {

    /** Skipped items listed one by one; the rest are counted. */
    private static final int MAX_LISTED_SKIPPED = 20;

    private CoverageGaps() {
    }

    static List<String> of(GraphService graph, Map<String, Object> snapshot, GcpInventory inventory) {
        List<String> gaps = new ArrayList<>();
        if (snapshot == null) {
            gaps.add("Nothing is loaded: every rule ran on an empty graph. Run `nhigraph load PATH...` first.");
            return gaps;
        }
        boolean aws = graph.store().read(tx -> tx.run("MATCH (p:AwsRole) WHERE NOT coalesce(p.external, false) RETURN count(p) > 0 AS any")
                .single().get("any").asBoolean());
        if (!aws) {
            gaps.add("The snapshot has no AWS IAM export (aws iam get-account-authorization-details), so the AWS rules had nothing to check.");
        }
        if (inventory.isEmpty()) {
            gaps.add("The snapshot has no gcloud output, so the GCP rules had nothing to check.");
        }
        if (snapshot.get("skipped") instanceof List<?> skipped && !skipped.isEmpty()) {
            gaps.add(skipped.size() + " item(s) of the input were skipped at load, so rules did not see them: "
                    + String.join("; ", skipped.stream().limit(MAX_LISTED_SKIPPED).map(String::valueOf).toList())
                    + (skipped.size() > MAX_LISTED_SKIPPED ? "; ..." : "") + ".");
        }
        if (snapshot.get("collectionGaps") instanceof List<?> collectionGaps && !collectionGaps.isEmpty()) {
            gaps.add(collectionGaps.size() + " API call(s) of the live collection gave nothing, so the snapshot lacks"
                    + " what they would have returned: "
                    + String.join("; ", collectionGaps.stream().limit(MAX_LISTED_SKIPPED).map(String::valueOf).toList())
                    + (collectionGaps.size() > MAX_LISTED_SKIPPED ? "; ..." : "") + ".");
        }
        inventory.warnings().stream().limit(MAX_LISTED_SKIPPED).forEach(warning -> gaps.add("GCP load: " + warning));

        keyGaps(graph).forEach(gaps::add);

        // Facts that no input read today carries, so the rules that would need them cannot fire.
        gaps.add("gcloud iam service-accounts keys list gives no last use, so unused GCP keys are not found.");
        gaps.add("gcloud iam service-accounts list carries no labels, so the owner-tag rule covers AWS roles and users only.");
        gaps.add("gcloud output has no group membership, so rights that a user or service account gets through a GCP"
                + " group are not counted in toxic combinations.");
        gaps.add("Toxic combinations count identity policies (with groups, boundaries and SCPs) and GCP allow bindings;"
                + " rights that an AWS resource-based policy grants are not counted.");
        return gaps;
    }

    /** Returns what the access-key rules miss: users without a credential report row, or without a key listing. */
    private static List<String> keyGaps(GraphService graph) {
        var counts = graph.store().read(tx -> tx.run("""
                MATCH (u:AwsUser)
                WHERE NOT coalesce(u.external, false) AND NOT coalesce(u.missing, false)
                RETURN count(u) AS users, count(u.credentialReportAt) AS reported,
                       count(CASE WHEN EXISTS { (u)-[:HAS_KEY]->(:AwsAccessKey {idKnown: true}) } THEN 1 END) AS listed""")
                .single());
        long users = counts.get("users").asLong();
        long reported = counts.get("reported").asLong();
        List<String> gaps = new ArrayList<>();
        if (users > 0 && reported == 0 && counts.get("listed").asLong() == 0) {
            gaps.add("The snapshot has " + users + " IAM user(s) but no credential report (aws iam get-credential-report)"
                    + " and no key listing (aws iam list-access-keys), so no AWS access key rule could fire; add them to"
                    + " the bundle as docs/offline-bundle.md describes.");
        } else if (reported < users) {
            gaps.add((users - reported) + " of " + users + " IAM user(s) have no credential report row, so their"
                    + " password, MFA and key last use are unknown; export a current report with aws iam"
                    + " get-credential-report.");
        }
        return gaps;
    }
}
