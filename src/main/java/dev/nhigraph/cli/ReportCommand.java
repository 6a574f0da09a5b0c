package dev.nhigraph.cli;

import dev.nhigraph.BadInputException;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.UnfinishedLoad;
import dev.nhigraph.audit.Audit;
import dev.nhigraph.db.Messages;
import dev.nhigraph.findings.AcceptedRisks;
import dev.nhigraph.findings.FindingsReport;
import dev.nhigraph.findings.ReportFiles;
import dev.nhigraph.findings.ReportHistory;
import dev.nhigraph.findings.Rule;
import dev.nhigraph.findings.RuleCatalog;
import dev.nhigraph.policy.ActionCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Evaluate every rule of the catalogue (toxic combinations, hygiene, escalation) over the loaded"
                + " graph and write DIR/report.json, DIR/findings.csv and a self-contained DIR/report.html, grouped by"
                + " severity with the ISO/IEC 27001 controls of each finding. docs/findings.md lists the rules.",
                "Given export files or folders, load them into a throw-away embedded database first, as scan does."})
final class ReportCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "PATH",
            description = "Export files or folders to report on in one shot, instead of the loaded graph.")
    List<Path> paths = List.of();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "nhigraph-report",
            description = "Folder for the report files, created if missing (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "" + ReportHistory.DEFAULT_KEEP,
            description = "Reports to keep in DIR: the new one and up to N-1 earlier ones in DIR/history, for the"
                    + " comparison and the trend (default: ${DEFAULT-VALUE}).")
    int keep;

    @Mixin
    ReportOptions options;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        List<Rule> rules = RuleCatalog.loadDefault();
        FindingsReport.Options reportOptions = options.toOptions(rules);
        // Bad input is rejected before the database starts and before the report folder is created.
        LoadService.PreparedLoad prepared = paths.isEmpty() ? null : LoadService.prepare(paths);
        Validation.range(keep, 1, 10_000, "--keep");
        database.check();
        boolean newFolder = !Files.exists(out);
        Validation.writableFolder(out, "--out");
        try (Database db = prepared == null ? database.openExisting() : database.openForOfflineRun()) {
            db.onInterrupt(() -> Interruption.readMessage("report"));
            if (prepared != null) {
                LoadService.LoadResult loaded;
                try (Progress progress = new Progress(System.err)) {
                    loaded = new LoadService(db.store()).load(prepared, progress);
                }
                Output.printLoad(loaded, false);
            }
            UnfinishedLoad.requireNone(db.store());
            GraphService graph = new GraphService(db.store(), ActionCatalog.loadDefault());
            ReportFiles.Written written = ReportFiles.write(FindingsReport.build(graph, rules, reportOptions), out, keep);
            FindingsReport.Report report = written.report();
            List<Path> files = written.files();
            Audit.reportRun(Audit.commandLineUser(), out.toAbsolutePath().normalize().toString(),
                    "ok:" + report.summary().open() + " findings");
            printSummary(report, files);
            return 0;
        } catch (RuntimeException e) {
            Audit.reportRun(Audit.commandLineUser(), out.toAbsolutePath().normalize().toString(), "failed");
            if (newFolder) {
                deleteIfEmpty(out);
            }
            throw e;
        }
    }

    /** Deletes the report folder that this run created and left empty, such as when no graph was found. */
    private static void deleteIfEmpty(Path folder) {
        try {
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // Not empty, or not ours to delete: it stays.
        }
    }

    static void printSummary(FindingsReport.Report report, List<Path> files) {
        StringBuilder counts = new StringBuilder();
        report.summary().bySeverity().forEach((severity, count) -> counts.append(counts.length() == 0 ? "" : ", ")
                .append(count).append(' ').append(severity));
        System.out.println(report.summary().open() + " open findings (" + counts + "), "
                + Messages.count(report.summary().accepted(), "accepted risk", "accepted risks") + ", as of "
                + report.asOf().time() + " (" + report.asOf().source() + "); exceptions as of "
                + report.asOf().exceptionsDate() + ".");
        FindingsReport.Summary summary = report.summary();
        // scan counts every principal that reaches an administrator and gives the conditional ones apart. This counts
        // findings, which leave out groups, external principals, SSO and service-linked roles and accepted risks.
        System.out.println(summary.causes() + " distinct causes; " + summary.administrators() + " roles, IAM users and"
                + " service accounts have an open administrator finding, which lists "
                + summary.foldedIntoAdministrators() + " toxic combinations by rule.");
        ReportHistory.Comparison comparison = report.comparison();
        if (comparison != null && comparison.previousGeneratedAt() != null) {
            System.out.println("Since the report of " + comparison.previousGeneratedAt() + ": " + comparison.newCount()
                    + " new, " + comparison.resolvedCount() + " resolved, " + comparison.unchangedCount() + " unchanged.");
        }
        for (FindingsReport.RuleResult rule : report.rules()) {
            if (rule.stoppedBy() == null) {
                continue;
            }
            String fix = rule.stoppedBy().startsWith("result cap") ? "; --max-findings-per-rule N raises the cap" : "";
            System.out.println("Rule " + rule.id() + " is incomplete: " + rule.stoppedBy() + fix + ".");
        }
        files.forEach(file -> System.out.println("Wrote " + file));
    }

    /** The options that set how findings are computed, shared by report and scan. */
    static final class ReportOptions {

        @Option(names = "--exceptions", paramLabel = "FILE",
                description = "YAML file of accepted risks (rule, principal, owner, reason, expires); see docs/findings.md.")
        Path exceptions;

        @Option(names = "--rotation-days", paramLabel = "DAYS", defaultValue = "" + FindingsReport.DEFAULT_ROTATION_DAYS,
                description = "Key rotation period in days; older keys are findings (default: ${DEFAULT-VALUE}).")
        int rotationDays;

        @Option(names = "--unused-days", paramLabel = "DAYS", defaultValue = "" + FindingsReport.DEFAULT_UNUSED_DAYS,
                description = "Days without use after which a role is unused (default: ${DEFAULT-VALUE}).")
        int unusedDays;

        @Option(names = "--owner-tag", paramLabel = "KEY", split = ",", defaultValue = "owner",
                description = "Tag keys that name an identity's owner, compared ignoring case (default: ${DEFAULT-VALUE}).")
        List<String> ownerTags;

        @Option(names = "--as-of", paramLabel = "DATE",
                description = "Measure key age, role use and exception expiry to DATE (YYYY-MM-DD, or an ISO-8601 instant)."
                        + " Default: ages to when the data was collected (the credential report's time, else the load's),"
                        + " and exception expiry to today.")
        String asOf;

        @Option(names = "--max-findings-per-rule", paramLabel = "N", defaultValue = "" + FindingsReport.DEFAULT_MAX_FINDINGS_PER_RULE,
                description = "Maximum number of findings per rule; report.json marks the rules that reached it (default: ${DEFAULT-VALUE}).")
        int maxFindingsPerRule;

        FindingsReport.Options toOptions(List<Rule> rules) {
            if (rotationDays < 1 || unusedDays < 1) {
                throw new BadInputException("--rotation-days and --unused-days must be at least 1; got " + rotationDays
                        + " and " + unusedDays + ".");
            }
            if (maxFindingsPerRule < 1 || maxFindingsPerRule > 100_000) {
                throw new BadInputException("--max-findings-per-rule " + maxFindingsPerRule + " is outside 1..100000.");
            }
            AcceptedRisks risks = exceptions == null ? AcceptedRisks.none()
                    : AcceptedRisks.read(exceptions, new HashSet<>(rules.stream().map(Rule::id).toList()));
            List<String> tagKeys = ownerTags.stream().map(key -> key.strip().toLowerCase(Locale.ROOT)).filter(key -> !key.isEmpty()).toList();
            FindingsReport.Options defaults = FindingsReport.Options.defaults();
            return new FindingsReport.Options(parseAsOf(asOf), rotationDays, unusedDays, tagKeys, defaults.maxDepth(),
                    maxFindingsPerRule, defaults.toxicTimeLimitSeconds(), defaults.queryTimeLimitSeconds(), risks);
        }

        private static Instant parseAsOf(String text) {
            if (text == null) {
                return null;
            }
            try {
                return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new BadInputException("--as-of \"" + text + "\" is not a date: give YYYY-MM-DD or an instant such as"
                        + " 2026-12-01T00:00:00Z.", e);
            }
        }
    }
}
