package dev.nhigraph.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.UnfinishedLoad;
import dev.nhigraph.audit.Audit;
import dev.nhigraph.findings.FindingsReport;
import dev.nhigraph.findings.ReportFiles;
import dev.nhigraph.findings.ReportHistory;
import dev.nhigraph.findings.Rule;
import dev.nhigraph.policy.PolicyDocuments;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The findings report on a cron schedule, for {@code serve --report-cron}. Each run re-loads the configured bundle,
 * if any, then writes the report to the report folder with its comparison and trend, and posts a summary to the
 * webhook. Runs never overlap: they share one thread, and the next slot is computed when a run ends, so a run that
 * outlasts its interval skips the slots it missed. A failed run is logged and the schedule goes on.
 */
public final class ReportSchedule implements AutoCloseable {

    /** The timeout of the webhook request, connection included. */
    static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ReportSchedule.class);

    /**
     * The settings of a scheduled run.
     *
     * @param cron    when it runs
     * @param bundle  export files or folders to load again before each report; empty to report on the graph as it is
     * @param outDir  the report folder, with the earlier reports under {@code history/}
     * @param keep    the reports the folder keeps, the latest included
     * @param webhook the URL that gets a JSON summary of each report, or null
     * @param rules   the rules to evaluate
     * @param options how findings are computed; {@code asOf} is left null so that each run measures to its own snapshot
     */
    public record Settings(CronSchedule cron, List<Path> bundle, Path outDir, int keep, URI webhook, List<Rule> rules,
                           FindingsReport.Options options) {
    }

    private final GraphService graph;
    private final Settings settings;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean running = new AtomicBoolean();
    private final HttpClient http;
    private volatile ZonedDateTime nextRun;

    public ReportSchedule(GraphService graph, Settings settings, Clock clock) {
        this.graph = graph;
        this.settings = settings;
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nhigraph-report-schedule");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder().connectTimeout(WEBHOOK_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Schedules the first run and returns when it is due. */
    public ZonedDateTime start() {
        scheduleNext();
        return nextRun;
    }

    /** Returns when the next run is due. */
    public ZonedDateTime nextRun() {
        return nextRun;
    }

    private void scheduleNext() {
        ZonedDateTime now = ZonedDateTime.now(clock);
        nextRun = settings.cron().next(now);
        long delay = Duration.between(now, nextRun).toMillis();
        executor.schedule(this::runAndScheduleNext, Math.max(0, delay), TimeUnit.MILLISECONDS);
        log.info("Next scheduled report at {} ({}), into {}", nextRun, settings.cron(), settings.outDir());
    }

    private void runAndScheduleNext() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.error("Scheduled report into {} failed; the next slot tries again: {}", settings.outDir(), e.getMessage(), e);
        } finally {
            if (!executor.isShutdown()) {
                scheduleNext();
            }
        }
    }

    /**
     * Runs the report now, unless a run is already going on.
     *
     * @return the report as written, or null when another run was going on
     */
    public FindingsReport.Report runOnce() {
        if (!running.compareAndSet(false, true)) {
            log.warn("Scheduled report into {} skipped: the previous run is still going on", settings.outDir());
            return null;
        }
        String where = settings.outDir().toAbsolutePath().normalize().toString();
        try {
            if (!settings.bundle().isEmpty()) {
                log.info("Scheduled report: stage load of {}", settings.bundle());
                LoadService.LoadResult loaded = new LoadService(graph.store()).load(settings.bundle(), stage -> { });
                log.info("Scheduled report: loaded snapshot {}", loaded.snapshotId());
            }
            UnfinishedLoad.requireNone(graph.store());
            log.info("Scheduled report: stage findings");
            FindingsReport.Report built = FindingsReport.build(graph, settings.rules(), settings.options());
            ReportFiles.Written written = ReportFiles.write(built, settings.outDir(), settings.keep());
            FindingsReport.Report report = written.report();
            Audit.reportRun("schedule", where, "ok:" + report.summary().open() + " findings");
            log.info("Scheduled report written to {}: {} open findings, {} accepted risks", where,
                    report.summary().open(), report.summary().accepted());
            if (settings.webhook() != null) {
                postSummary(report);
            }
            return report;
        } catch (RuntimeException e) {
            Audit.reportRun("schedule", where, "failed");
            throw e;
        } finally {
            running.set(false);
        }
    }

    /** Posts the report's summary. A receiver that fails or times out is logged, and the report is kept. */
    private void postSummary(FindingsReport.Report report) {
        byte[] body;
        try {
            body = PolicyDocuments.JSON.writeValueAsBytes(summary(report));
        } catch (IOException e) {
            log.warn("Webhook summary of the report of {} could not be encoded: {}", report.generatedAt(), e.getMessage());
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(settings.webhook()).timeout(WEBHOOK_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                log.warn("Webhook {} returned status {} for the summary of the report of {}", settings.webhook(),
                        response.statusCode(), report.generatedAt());
            } else {
                log.info("Posted the summary of the report of {} to {}", report.generatedAt(), settings.webhook());
            }
        } catch (IOException e) {
            log.warn("Webhook {} failed for the report of {}: {}", settings.webhook(), report.generatedAt(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Webhook {} was interrupted for the report of {}", settings.webhook(), report.generatedAt());
        }
    }

    /** Returns the webhook's JSON: counts and the change since the previous report, never a finding's evidence. */
    ObjectNode summary(FindingsReport.Report report) {
        ObjectNode summary = PolicyDocuments.JSON.createObjectNode();
        summary.put("event", "nhigraph.report");
        summary.put("generatedAt", report.generatedAt());
        summary.put("asOf", report.asOf().time());
        summary.put("reportFolder", settings.outDir().toAbsolutePath().normalize().toString());
        summary.put("open", report.summary().open());
        summary.put("accepted", report.summary().accepted());
        summary.set("bySeverity", PolicyDocuments.JSON.valueToTree(report.summary().bySeverity()));
        summary.put("causes", report.summary().causes());
        summary.put("administrators", report.summary().administrators());
        ReportHistory.Comparison comparison = report.comparison();
        if (comparison != null) {
            summary.put("previousGeneratedAt", comparison.previousGeneratedAt());
            summary.put("new", comparison.newCount());
            summary.put("resolved", comparison.resolvedCount());
            summary.put("unchanged", comparison.unchangedCount());
        }
        return summary;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
