package dev.nhigraph.api;

import dev.nhigraph.findings.ReportFiles;
import dev.nhigraph.findings.ReportHistory;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The findings reports of the server's report folder, the one that {@code serve --report-cron} writes to.
 * <pre>
 *   GET /api/reports          the retained reports, newest first, with their counts
 *   GET /api/reports/latest   the latest report.json
 * </pre>
 */
final class ReportRoutes {

    private final Path reportDir;

    /** @param reportDir the report folder, or null when the server has none */
    ReportRoutes(Path reportDir) {
        this.reportDir = reportDir;
    }

    void addTo(RoutesConfig routes) {
        routes.get("/api/reports", this::list, ApiRole.READ);
        routes.get("/api/reports/latest", this::latest, ApiRole.READ);
    }

    private void list(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (reportDir == null) {
            body.put("folder", null);
            body.put("reports", List.of());
            body.put("note", "This server has no report folder: start it with --report-cron CRON (and --report-dir DIR)"
                    + " to write findings reports on a schedule.");
        } else {
            body.put("folder", reportDir.toAbsolutePath().normalize().toString());
            body.put("reports", ReportHistory.list(reportDir));
        }
        ctx.json(body);
    }

    private void latest(Context ctx) {
        Path file = reportDir == null ? null : reportDir.resolve(ReportFiles.JSON_FILE);
        if (file == null || !Files.isRegularFile(file)) {
            throw new NoSuchElementException(reportDir == null
                    ? "This server has no report folder: start it with --report-cron CRON to write findings reports."
                    : "No report has been written to " + reportDir.toAbsolutePath().normalize() + " yet; the first"
                    + " scheduled run writes one.");
        }
        try {
            ctx.contentType("application/json").result(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + file + ": " + e.getMessage(), e);
        }
    }
}
