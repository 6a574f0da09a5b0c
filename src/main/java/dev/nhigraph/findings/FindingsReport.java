package dev.nhigraph.findings;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nhigraph.analysis.AccessSummaries;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.PathAnswers;
import dev.nhigraph.analysis.SnapshotDiff;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpRoleCatalog;
import dev.nhigraph.gcp.analysis.GcpAuthorization;
import dev.nhigraph.gcp.analysis.PermissionHolding;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.gcp.graph.GcpGraphReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The findings report of the current graph: every rule of the catalogue evaluated, findings split into open and
 * accepted risks, a summary by severity and by ISO/IEC 27001 control, and the coverage gaps of the snapshot.
 * {@link ReportFiles} writes it as report.json, findings.csv and report.html.
 */
public final class FindingsReport {

    /** The version of the report.json layout that docs/findings.md documents; raised when a field changes meaning. */
    public static final int SCHEMA_VERSION = 1;

    public static final int DEFAULT_ROTATION_DAYS = 90;
    public static final int DEFAULT_UNUSED_DAYS = 90;
    public static final int DEFAULT_MAX_FINDINGS_PER_RULE = 500;
    public static final long DEFAULT_TOXIC_TIME_LIMIT_SECONDS = 120;
    public static final long DEFAULT_QUERY_TIME_LIMIT_SECONDS = 30;

    /**
     * The settings a report is computed with.
     *
     * @param asOf                   the date that ages and exception expiry are measured to; null for the latest
     *                               snapshot's collection time, or its load time when it has none
     * @param maxDepth               the maximum number of steps from a principal to one it can become
     * @param toxicTimeLimitSeconds  the time limit of the whole toxic-combination evaluation
     * @param queryTimeLimitSeconds  the time limit of each hygiene query
     */
    public record Options(Instant asOf, int rotationDays, int unusedDays, List<String> ownerTagKeys, int maxDepth,
                          int maxFindingsPerRule, long toxicTimeLimitSeconds, long queryTimeLimitSeconds,
                          AcceptedRisks acceptedRisks) {

        public static Options defaults() {
            return new Options(null, DEFAULT_ROTATION_DAYS, DEFAULT_UNUSED_DAYS, List.of("owner"), 8,
                    DEFAULT_MAX_FINDINGS_PER_RULE, DEFAULT_TOXIC_TIME_LIMIT_SECONDS, DEFAULT_QUERY_TIME_LIMIT_SECONDS,
                    AcceptedRisks.none());
        }

        public Options withAsOf(Instant time) {
            return new Options(time, rotationDays, unusedDays, ownerTagKeys, maxDepth, maxFindingsPerRule,
                    toxicTimeLimitSeconds, queryTimeLimitSeconds, acceptedRisks);
        }

        public Options withAcceptedRisks(AcceptedRisks risks) {
            return new Options(asOf, rotationDays, unusedDays, ownerTagKeys, maxDepth, maxFindingsPerRule,
                    toxicTimeLimitSeconds, queryTimeLimitSeconds, risks);
        }
    }

    /**
     * The date the report measures to, and where it comes from: "--as-of", "collection" (the GeneratedTime of the
     * latest snapshot's credential reports), "snapshot" (the time the latest snapshot was loaded, for bundles with no
     * collection time: authorization details and gcloud output carry none) or "clock" when nothing is loaded.
     *
     * @param exceptionsDate the day that exception expiry is measured to: the --as-of date when given, and otherwise
     *                       the day the report is made, since an accepted risk ends on a calendar day whatever the
     *                       age of the data
     */
    public record AsOf(String time, String source, String exceptionsDate) {

        /** Creates the date of a report given --as-of, whose exceptions are measured to the same day. */
        public AsOf(String time, String source) {
            this(time, source, LocalDate.ofInstant(Instant.parse(time), ZoneOffset.UTC).toString());
        }
    }

    /** The bounds the report was computed with, so a reader can tell a short list from a cut one. */
    public record Limits(int maxDepth, int maxPrincipalsPerWalk, int maxFindingsPerRule, long toxicTimeLimitSeconds,
                         long queryTimeLimitSeconds, int rotationDays, int unusedDays, List<String> ownerTagKeys,
                         String exceptionsFile) {
    }

    /**
     * One rule as evaluated: how many findings it gave and whether a bound or an error cut it short.
     *
     * @param open                     the open findings of the rule, those listed in an administrator finding included
     * @param foldedIntoAdministrators the open findings that an administrator finding lists instead of the rule
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RuleResult(String id, String title, String kind, String cloud, String severity, Rule.Controls controls,
                             int open, int accepted, String stoppedBy, long millis, int foldedIntoAdministrators) {
    }

    /**
     * Open findings counted by severity and by control; accepted risks are counted apart. Every count is of findings
     * per rule, principal and resource, as in reports before findings were grouped, so the trend stays comparable.
     *
     * @param administrators           principals with an open finding that they are, or can become, an administrator
     * @param foldedIntoAdministrators open toxic-combination findings that an administrator finding lists by rule id
     * @param listed                   the entries of {@code findings}: {@code open} less {@code foldedIntoAdministrators}
     * @param causes                   the distinct causes of the listed findings
     */
    public record Summary(int open, int accepted, Map<String, Integer> bySeverity, Map<String, Integer> byControl2022,
                          Map<String, Integer> byControl2013, int administrators, int foldedIntoAdministrators, int listed,
                          int causes) {
    }

    /**
     * The whole report, in the field order of report.json.
     *
     * @param findings       the open findings, less the toxic combinations that an administrator finding lists
     * @param causes         the distinct causes of {@code findings}, each with its principals
     * @param foldedFindings the toxic-combination findings that an administrator finding lists by rule id; findings.csv
     *                       has a row for each, and report.json only the rule ids
     */
    public record Report(int schemaVersion, String generatedAt, AsOf asOf, ReportHistory.Comparison comparison,
                         SnapshotDiff.Diff drift, Map<String, Object> snapshot, Limits limits, Summary summary, List<Finding> findings,
                         List<FindingCauses.Cause> causes, List<Finding> acceptedRisks, List<AcceptedRisks.Status> exceptions,
                         List<RuleResult> rules, List<String> coverageGaps, List<ReportHistory.TrendPoint> trend,
                         @JsonIgnore List<Finding> foldedFindings) {

        /** Returns this report with the comparison with the previous one and the trend of the retained ones. */
        public Report withHistory(ReportHistory.Comparison comparison, List<ReportHistory.TrendPoint> trend) {
            return new Report(schemaVersion, generatedAt, asOf, comparison, drift, snapshot, limits, summary, findings, causes,
                    acceptedRisks, exceptions, rules, coverageGaps, trend, foldedFindings);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(FindingsReport.class);

    /** Items listed per part of the drift; report.json is evidence, and `nhigraph diff` lists the rest. */
    static final int MAX_DRIFT_ITEMS = 50;

    private FindingsReport() {
    }

    /** Evaluates {@code rules} over the graph of {@code graph}. */
    public static Report build(GraphService graph, List<Rule> rules, Options options) {
        Map<String, Object> snapshot = graph.latestSnapshot();
        AsOf asOf = asOf(options.asOf(), snapshot);
        LocalDate today = LocalDate.ofInstant(Instant.parse(asOf.time()), ZoneOffset.UTC);
        List<String> gaps = new ArrayList<>();

        // Phase 1: toxic combinations, one walk per principal for all of them.
        AccessSummaries summaries = graph.summaries();
        GcpInventory inventory = GcpGraphReader.read(graph.store());
        PermissionHolding gcp = null;
        if (!inventory.isEmpty()) {
            GcpAuthorization authorization = new GcpAuthorization(inventory, GcpRoleCatalog.loadDefault(), Instant.parse(asOf.time()));
            gcp = new PermissionHolding(authorization);
        }
        long started = System.nanoTime();
        Map<String, RuleOutcome> outcomes = new LinkedHashMap<>(new ToxicCombinations(summaries, gcp, rules)
                .evaluate(new ToxicCombinations.Limits(options.maxDepth(), options.maxFindingsPerRule(),
                        options.toxicTimeLimitSeconds() * 1000)));
        long toxicMillis = (System.nanoTime() - started) / 1_000_000;
        log.info("Evaluated {} toxic-combination rules in {} ms", outcomes.size(), toxicMillis);

        // Phase 2: hygiene rules, one bounded query each.
        HygieneChecks hygiene = new HygieneChecks(graph);
        HygieneChecks.Settings settings = new HygieneChecks.Settings(asOf.time(), options.rotationDays(), options.unusedDays(),
                options.ownerTagKeys());
        Map<String, Long> millis = new LinkedHashMap<>();
        for (Rule rule : rules) {
            if (!rule.toxicCombination()) {
                long ruleStarted = System.nanoTime();
                outcomes.put(rule.id(), hygiene.run(rule, settings, options.maxFindingsPerRule(),
                        Duration.ofSeconds(options.queryTimeLimitSeconds())));
                millis.put(rule.id(), (System.nanoTime() - ruleStarted) / 1_000_000);
            }
        }

        // Phase 3: accepted risks, then the summary and the per-rule results.
        List<Finding> all = new ArrayList<>();
        for (Rule rule : rules) {
            all.addAll(outcomes.get(rule.id()).findings());
        }
        all.sort(Comparator.comparingInt((Finding f) -> Rule.severityRank(f.severity())).thenComparing(Finding::rule)
                .thenComparing(Finding::principal).thenComparing(f -> f.resource() == null ? "" : f.resource()));
        // Exceptions apply to the findings one per rule, before folding, so they accept what they always accepted.
        AcceptedRisks.Applied applied = options.acceptedRisks().apply(all, LocalDate.parse(asOf.exceptionsDate()));
        AdministratorFindings.Folded folded = AdministratorFindings.fold(applied.open(), administratorEvidence(graph));
        FindingCauses.Grouped grouped = FindingCauses.group(folded.listed());
        List<RuleResult> results = new ArrayList<>();
        for (Rule rule : rules) {
            RuleOutcome outcome = outcomes.get(rule.id());
            int accepted = (int) applied.accepted().stream().filter(f -> f.rule().equals(rule.id())).count();
            int foldedCount = (int) folded.folded().stream().filter(f -> f.rule().equals(rule.id())).count();
            results.add(new RuleResult(rule.id(), rule.title(), rule.kind(), rule.cloud(), rule.severity(), rule.controls(),
                    outcome.findings().size() - accepted, accepted, outcome.stoppedBy(),
                    rule.toxicCombination() ? toxicMillis : millis.get(rule.id()), foldedCount));
            if (outcome.stoppedBy() != null) {
                gaps.add("Rule " + rule.id() + " is incomplete: " + outcome.stoppedBy() + ".");
            }
        }
        gaps.addAll(CoverageGaps.of(graph, snapshot, inventory));

        Limits limits = new Limits(options.maxDepth(), ToxicCombinations.MAX_REACHED, options.maxFindingsPerRule(),
                options.toxicTimeLimitSeconds(), options.queryTimeLimitSeconds(), options.rotationDays(), options.unusedDays(),
                options.ownerTagKeys(), options.acceptedRisks().file() == null ? null : options.acceptedRisks().file().toString());
        return new Report(SCHEMA_VERSION, Instant.now().toString(), asOf, null, drift(graph), snapshotSummary(snapshot), limits,
                summary(applied, folded, grouped), grouped.findings(), grouped.causes(), applied.accepted(), applied.statuses(),
                results, gaps, List.of(), folded.folded());
    }

    /** Returns the statements or bindings that make a principal an administrator, or none when it is not one. */
    private static Function<String, List<Evidence>> administratorEvidence(GraphService graph) {
        PathAnswers answers = graph.pathAnswers();
        return principal -> {
            PathAnswers.Administrator admin = answers.administrator(principal);
            if (admin == null) {
                admin = answers.awsAdministrator(principal);
            }
            return admin == null ? List.of() : admin.evidence();
        };
    }

    /** Returns what changed between the latest two snapshots, or null when the graph has fewer than two. */
    private static SnapshotDiff.Diff drift(GraphService graph) {
        long snapshots = graph.store().read(tx -> tx.run("MATCH (:Snapshot)-[:HAS_DIGEST]->(d:SnapshotDigest) RETURN count(d) AS n")
                .single().get("n").asLong());
        return snapshots < 2 ? null : SnapshotDiff.between(graph.store(), null, null, MAX_DRIFT_ITEMS);
    }

    private static AsOf asOf(Instant given, Map<String, Object> snapshot) {
        if (given != null) {
            return new AsOf(given.toString(), "--as-of");
        }
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        // The credential report's GeneratedTime is when the data was collected. Ages measured to a later load time
        // would grow with every day the bundle waits before it is loaded.
        if (snapshot != null && snapshot.get("collectedAt") instanceof String collectedAt) {
            return new AsOf(collectedAt, "collection", today);
        }
        if (snapshot != null && snapshot.get("loadedAt") instanceof String loadedAt) {
            return new AsOf(loadedAt, "snapshot", today);
        }
        return new AsOf(Instant.now().toString(), "clock", today);
    }

    private static Map<String, Object> snapshotSummary(Map<String, Object> snapshot) {
        if (snapshot == null) {
            return null;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        for (String key : List.of("id", "loadedAt", "files", "users", "roles", "groups", "gcpProjects", "gcpServiceAccounts")) {
            if (snapshot.get(key) != null) {
                summary.put(key, snapshot.get(key));
            }
        }
        return summary;
    }

    private static Summary summary(AcceptedRisks.Applied applied, AdministratorFindings.Folded folded,
                                   FindingCauses.Grouped grouped) {
        Map<String, Integer> bySeverity = new LinkedHashMap<>();
        Rule.SEVERITIES.forEach(severity -> bySeverity.put(severity, 0));
        Map<String, Integer> by2022 = new TreeMap<>(FindingsReport::compareControls);
        Map<String, Integer> by2013 = new TreeMap<>(FindingsReport::compareControls);
        for (Finding finding : applied.open()) {
            bySeverity.merge(finding.severity(), 1, Integer::sum);
            finding.controls().iso2022().forEach(control -> by2022.merge(control, 1, Integer::sum));
            finding.controls().iso2013().forEach(control -> by2013.merge(control, 1, Integer::sum));
        }
        return new Summary(applied.open().size(), applied.accepted().size(), bySeverity, by2022, by2013,
                folded.administrators(), folded.folded().size(), grouped.findings().size(), grouped.causes().size());
    }

    /** Orders A.5.9 before A.5.15 by comparing the numbers, not the text. */
    static int compareControls(String a, String b) {
        String[] left = a.substring(2).split("\\.");
        String[] right = b.substring(2).split("\\.");
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            int compared = Integer.compare(Integer.parseInt(left[i]), Integer.parseInt(right[i]));
            if (compared != 0) {
                return compared;
            }
        }
        return Integer.compare(left.length, right.length);
    }
}
