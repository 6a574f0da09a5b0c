package dev.nhigraph.report;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nhigraph.NhigraphException;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nhigraph.analysis.AccessSummaries;
import dev.nhigraph.analysis.AdminReachability;
import dev.nhigraph.analysis.AwsProjection;
import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.analysis.BlastRadius;
import dev.nhigraph.analysis.FederatedTrustFindings;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.analysis.PathAnswers;
import dev.nhigraph.analysis.PathSearch;
import dev.nhigraph.policy.PolicyDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report of {@code nhigraph scan}: every loaded principal with the roles it can assume, the size of its
 * blast radius, and whether it is or can become an administrator, with the shortest path; and the findings,
 * such as roles that any GitHub repository can assume.
 */
public final class ScanReport {

    /**
     * One principal of the export. {@code administers} lists the organizations, folders and projects that the GCP
     * administrator at the end of {@code adminPath} administers.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PrincipalEntry(String id, String kind, String name, String account, List<String> canAssume,
                                 List<String> canEscalate, int canEscalateCount, String reachesAdmin, PathSearch.Path adminPath,
                                 List<String> administers, Map<String, Object> blastRadius) {
    }

    /**
     * The counts that {@code scan} prints once it has written the report.
     *
     * @param findingsBySeverity the number of findings of each severity that occurs, most severe first
     * @param reachesAdmin       the number of reported principals per {@link PathSearch.Reach} value, YES first
     * @param principals         the number of reported principals
     */
    public record Totals(Map<String, Long> findingsBySeverity, Map<String, Long> reachesAdmin, int principals) {

        /** Returns the number of findings of all severities. */
        public long findings() {
            return findingsBySeverity.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Severities of the scan's findings, most severe first. */
    private static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low");

    /** The maximum number of escalation targets listed per principal; canEscalateCount gives the full number. */
    static final int MAX_LISTED = 50;

    /** Principals that get an entry: identities with policies or bindings of their own, not services or anyone. */
    static final List<String> REPORTED_KINDS = List.of("AwsUser", "AwsRole", "AwsGroup", "GcpServiceAccount", "GcpMember");

    private ScanReport() {
    }

    /** Builds the report over the current graph; {@code maxDepth} bounds each blast radius. */
    public static Map<String, Object> build(GraphService graph, LoadResult load, int maxDepth) {
        // One projection and one set of access summaries for the whole report, shared by every blast radius.
        AccessSummaries summaries = graph.summaries();
        AwsProjection projection = summaries.projection();
        BlastRadius blastRadius = new BlastRadius(summaries);
        AdminReachability admins = graph.adminReachability();
        PathAnswers pathAnswers = graph.pathAnswers();
        Map<String, Integer> reachCounts = new LinkedHashMap<>();
        List<PrincipalEntry> principals = new ArrayList<>();
        for (PrincipalNode principal : projection.principals().values()) {
            if (principal.external() || !REPORTED_KINDS.contains(principal.kind())) {
                continue;
            }
            List<String> canAssume = projection.assumeGraph().outgoingEdgesOf(principal.id()).stream()
                    .map(AwsProjection.AssumeEdge::target).sorted().toList();
            List<String> escalations = projection.stepGraph().outgoingEdgesOf(principal.id()).stream()
                    .filter(step -> step.technique() != null)
                    .map(step -> step.target() + " (" + step.technique() + ")").sorted().toList();
            // A caller in a dense core can escalate to thousands of roles; the first ones and the count suffice here.
            List<String> canEscalate = escalations.size() > MAX_LISTED ? escalations.subList(0, MAX_LISTED) : escalations;
            PathSearch.Reach reach = admins.reach(principal.id());
            reachCounts.merge(reach.name(), 1, Integer::sum);
            BlastRadius.Result radius = blastRadius.summary(principal.id(), maxDepth);
            Map<String, Object> summary = blastRadiusSummary(radius);
            // A GCP principal has no account; a service account's project takes its place.
            String account = principal.account() != null ? principal.account()
                    : (String) principal.properties().get("project");
            PathSearch.Path adminPath = admins.witness(principal.id());
            PathAnswers.Administrator end = adminPath == null ? null : pathAnswers.administrator(adminPath.to());
            principals.add(new PrincipalEntry(principal.id(), principal.kind(), principal.name(), account,
                    canAssume, canEscalate, escalations.size(), reach.name(), adminPath, end == null ? null : end.scopes(),
                    summary));
        }

        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("id", load.snapshotId());
        snapshot.put("files", load.files());
        snapshot.put("accounts", load.accounts());
        snapshot.put("users", load.users());
        snapshot.put("roles", load.roles());
        snapshot.put("groups", load.groups());
        snapshot.put("managedPolicies", load.managedPolicies());
        snapshot.put("inlinePolicies", load.inlinePolicies());
        snapshot.put("canAssume", load.canAssume());
        snapshot.put("canEscalate", load.canEscalate());
        if (load.gcp() != null && load.gcp().projects() + load.gcp().serviceAccounts() + load.gcp().bindings() > 0) {
            snapshot.put("gcp", load.gcp());
        }
        // The same count as the load's summary line: users and roles. Groups that make their members administrators
        // are counted apart, since they cannot act themselves.
        long adminGroups = admins.admins().stream().filter(id -> "AwsGroup".equals(projection.principal(id).kind())).count();
        snapshot.put("administrators", admins.admins().size() - adminGroups);
        snapshot.put("administratorGroups", adminGroups);
        snapshot.put("reachesAdmin", reachCounts);
        snapshot.put("skipped", load.skipped());
        snapshot.put("warnings", load.warnings());
        snapshot.put("maxDepth", maxDepth);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("snapshot", snapshot);
        report.put("findings", FederatedTrustFindings.find(graph.store()));
        report.put("principals", principals);
        return report;
    }

    /** Counts the findings and the principals' admin reach of a report that {@link #build} returned. */
    public static Totals totals(Map<String, Object> report) {
        Map<String, Long> bySeverity = new LinkedHashMap<>();
        SEVERITIES.forEach(severity -> bySeverity.put(severity, 0L));
        for (Object item : (List<?>) report.get("findings")) {
            if (item instanceof FederatedTrustFindings.Finding finding) {
                bySeverity.merge(finding.severity(), 1L, Long::sum);
            }
        }
        bySeverity.values().removeIf(count -> count == 0);

        Map<String, Long> reach = new LinkedHashMap<>();
        for (PathSearch.Reach value : PathSearch.Reach.values()) {
            reach.put(value.name(), 0L);
        }
        int principals = 0;
        for (Object item : (List<?>) report.get("principals")) {
            if (item instanceof PrincipalEntry entry) {
                reach.merge(entry.reachesAdmin(), 1L, Long::sum);
                principals++;
            }
        }
        return new Totals(bySeverity, reach, principals);
    }

    /**
     * Returns the blast-radius counts of one entry. The AWS counts are left out when the blast radius contains no AWS
     * identity, and the GCP ones when it contains no GCP principal, as in {@link BlastRadius.Summary}.
     */
    private static Map<String, Object> blastRadiusSummary(BlastRadius.Result radius) {
        BlastRadius.Summary counts = radius.summary();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("principals", counts.principals());
        if (counts.actionsByAccessLevel() != null) {
            summary.put("admin", counts.admin());
            summary.put("services", counts.services());
            summary.put("actionsByAccessLevel", counts.actionsByAccessLevel());
        }
        if (counts.serviceAccounts() != null) {
            summary.put("adminEquivalent", counts.adminEquivalent());
            summary.put("serviceAccounts", counts.serviceAccounts());
            summary.put("adminScopes", counts.adminScopes());
            summary.put("gcpResources", counts.gcpResources());
            summary.put("resourcesByAccessLevel", counts.resourcesByAccessLevel());
            summary.put("userManagedKeys", counts.userManagedKeys());
        }
        summary.put("truncated", radius.bounds().truncated());
        return summary;
    }

    /** Writes {@code report} to {@code DIR/report.json}, creating the folder, and returns the file. */
    public static Path write(Map<String, Object> report, Path outDir) {
        try {
            Files.createDirectories(outDir);
            Path file = outDir.resolve("report.json");
            Path partial = outDir.resolve("report.json.partial");
            PolicyDocuments.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValue(partial.toFile(), report);
            // Written beside and moved, so a reader never sees half a report.
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new NhigraphException("Failed to write the report to " + outDir + ": " + e.getMessage()
                    + ". Choose a writable folder with --out.", e);
        }
    }
}
