package dev.nhigraph.findings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.policy.PolicyDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The earlier reports of one report folder: {@code DIR/report.json} is the latest, and {@code DIR/history/} keeps
 * the report.json of earlier runs, so that a new report can list what changed and draw a trend. The folder keeps
 * the latest report and at most {@code keep - 1} earlier ones.
 */
public final class ReportHistory {

    public static final String HISTORY_FOLDER = "history";
    public static final int DEFAULT_KEEP = 30;

    /** Findings listed one by one as new or resolved; the rest are counted. */
    static final int MAX_LISTED_CHANGES = 200;

    private static final Logger log = LoggerFactory.getLogger(ReportHistory.class);

    private ReportHistory() {
    }

    /**
     * The changes since the previous report of the folder. Two findings are the same when their rule, principal and
     * resource are; for an escalation finding, whose resource is the end of one witness path, rule and principal. The comparison covers open findings, so a finding that an exception now accepts counts as resolved.
     * A toxic combination that an administrator finding lists by rule id counts as a finding of its own on both sides,
     * so a report compared with one written before findings were folded shows no change for it.
     *
     * @param previousGeneratedAt when the previous report was made, or null when there was none
     * @param newFindings         open findings that the previous report did not have, the first 200
     * @param resolvedFindings    open findings of the previous report that this one does not have, the first 200
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Comparison(String previousGeneratedAt, int newCount, int resolvedCount, int unchangedCount,
                             List<FindingRef> newFindings, List<FindingRef> resolvedFindings, String note) {
    }

    /** A finding named by what identifies it across reports, with its severity and detail for reading. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FindingRef(String rule, String severity, String principal, String resource, String detail) {

        /**
         * Returns what identifies the finding across reports. The resource of an escalation finding is the
         * administrator at the end of its witness path, which is one of possibly several equally near. So the key
         * leaves it out, and a principal that still reaches an administrator keeps the same finding.
         */
        String key(Set<String> escalationRules) {
            return rule + '\u0000' + principal + '\u0000' + (escalationRules.contains(rule) ? "" : resource);
        }
    }

    /** The open findings by severity of one retained report, for the trend chart. */
    public record TrendPoint(String generatedAt, int open, Map<String, Integer> bySeverity) {
    }

    /** One retained report, as GET /api/reports lists it. */
    public record Entry(String generatedAt, String file, boolean latest, int open, int accepted,
                        Map<String, Integer> bySeverity) {
    }

    /** Returns the folder's latest report.json, or null when there is none or it cannot be read. */
    static JsonNode latest(Path outDir) {
        return read(outDir.resolve(ReportFiles.JSON_FILE));
    }

    /** Compares {@code report}'s open findings with those of {@code previous}, which may be null. */
    static Comparison compare(JsonNode previous, FindingsReport.Report report) {
        List<FindingRef> current = new ArrayList<>();
        for (Finding finding : report.findings()) {
            current.add(new FindingRef(finding.rule(), finding.severity(), finding.principal(), finding.resource(),
                    finding.detail()));
        }
        for (Finding finding : report.foldedFindings()) {
            current.add(new FindingRef(finding.rule(), finding.severity(), finding.principal(), finding.resource(),
                    finding.detail()));
        }
        if (previous == null) {
            return new Comparison(null, current.size(), 0, 0, List.of(), List.of(),
                    "There is no earlier report in this folder, so every finding counts as new.");
        }
        Set<String> escalationRules = new HashSet<>();
        report.rules().stream().filter(rule -> Rule.ESCALATION.equals(rule.kind())).forEach(rule -> escalationRules.add(rule.id()));

        List<FindingRef> before = findingRefs(previous);
        Set<String> beforeKeys = new HashSet<>();
        before.forEach(ref -> beforeKeys.add(ref.key(escalationRules)));
        Set<String> currentKeys = new HashSet<>();
        current.forEach(ref -> currentKeys.add(ref.key(escalationRules)));

        List<FindingRef> added = current.stream().filter(ref -> !beforeKeys.contains(ref.key(escalationRules))).toList();
        List<FindingRef> resolved = before.stream().filter(ref -> !currentKeys.contains(ref.key(escalationRules))).toList();
        int unchanged = current.size() - added.size();
        return new Comparison(previous.path("generatedAt").asText(null), added.size(), resolved.size(), unchanged,
                added.stream().limit(MAX_LISTED_CHANGES).toList(), resolved.stream().limit(MAX_LISTED_CHANGES).toList(), null);
    }

    /**
     * Returns the open findings of an earlier report.json, with one for each rule id that an administrator finding
     * lists under {@code toxicCombinations}; reports written before that field have none.
     */
    private static List<FindingRef> findingRefs(JsonNode previous) {
        Map<String, String> severityOf = new HashMap<>();
        previous.path("rules").forEach(rule -> severityOf.put(rule.path("id").asText(), rule.path("severity").asText(null)));
        List<FindingRef> refs = new ArrayList<>();
        for (JsonNode finding : previous.path("findings")) {
            String principal = finding.path("principal").asText();
            refs.add(new FindingRef(finding.path("rule").asText(), finding.path("severity").asText(), principal,
                    finding.hasNonNull("resource") ? finding.get("resource").asText() : null, finding.path("detail").asText(null)));
            for (JsonNode combination : finding.path("toxicCombinations")) {
                refs.add(new FindingRef(combination.asText(), severityOf.get(combination.asText()), principal, null,
                        "listed in the " + finding.path("rule").asText() + " finding of the principal"));
            }
        }
        return refs;
    }

    /** Returns the trend of the retained reports, oldest first, with {@code report} as the last point. */
    static List<TrendPoint> trend(Path outDir, JsonNode previous, FindingsReport.Report report) {
        List<TrendPoint> points = new ArrayList<>();
        for (Path file : archived(outDir)) {
            JsonNode archived = read(file);
            if (archived != null) {
                points.add(point(archived));
            }
        }
        if (previous != null) {
            points.add(point(previous));
        }
        points.add(new TrendPoint(report.generatedAt(), report.summary().open(), report.summary().bySeverity()));
        return points;
    }

    /**
     * Copies the folder's current report.json into history, named by its generatedAt, and deletes the oldest
     * archived reports beyond {@code keep - 1}. A run that fails after this leaves the current report in place.
     */
    static void archive(Path outDir, JsonNode previous, int keep) throws IOException {
        if (previous != null) {
            Path history = Files.createDirectories(outDir.resolve(HISTORY_FOLDER));
            String name = "report-" + previous.path("generatedAt").asText("unknown").replace(':', '-') + ".json";
            Files.copy(outDir.resolve(ReportFiles.JSON_FILE), history.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        List<Path> archived = archived(outDir);
        for (int i = 0; i < archived.size() - (keep - 1); i++) {
            Files.deleteIfExists(archived.get(i));
            log.info("Deleted {}, older than the {} reports that are kept", archived.get(i), keep);
        }
    }

    /** Lists the folder's reports, newest first: the latest report.json, then the archived ones. */
    public static List<Entry> list(Path outDir) {
        List<Entry> entries = new ArrayList<>();
        Path latestFile = outDir.resolve(ReportFiles.JSON_FILE);
        JsonNode latest = read(latestFile);
        if (latest != null) {
            entries.add(entry(latestFile, latest, true));
        }
        List<Path> archived = new ArrayList<>(archived(outDir));
        Collections.reverse(archived);
        for (Path file : archived) {
            JsonNode report = read(file);
            if (report != null) {
                entries.add(entry(file, report, false));
            }
        }
        return entries;
    }

    private static Entry entry(Path file, JsonNode report, boolean latest) {
        TrendPoint point = point(report);
        return new Entry(point.generatedAt(), file.getFileName().toString(), latest, point.open(),
                report.path("summary").path("accepted").asInt(), point.bySeverity());
    }

    private static TrendPoint point(JsonNode report) {
        Map<String, Integer> bySeverity = new LinkedHashMap<>();
        report.path("summary").path("bySeverity").fields()
                .forEachRemaining(field -> bySeverity.put(field.getKey(), field.getValue().asInt()));
        return new TrendPoint(report.path("generatedAt").asText(), report.path("summary").path("open").asInt(), bySeverity);
    }

    /** Returns the archived report files, oldest first; their names sort by time because they embed generatedAt. */
    private static List<Path> archived(Path outDir) {
        Path history = outDir.resolve(HISTORY_FOLDER);
        if (!Files.isDirectory(history)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(history)) {
            return files.filter(file -> file.getFileName().toString().startsWith("report-")
                            && file.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparing(file -> file.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new NhigraphException("Failed to list the earlier reports in " + history + ": " + e.getMessage()
                    + ". Check the folder's permissions.", e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return PolicyDocuments.JSON.readTree(file.toFile());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            if (!Files.exists(file)) {
                return null;
            }
            // An unreadable earlier report must not stop today's: the comparison and trend leave it out.
            log.warn("Skipped the earlier report {}, which is not valid JSON ({}); the comparison and trend leave it out",
                    file, e.getMessage());
            return null;
        }
    }
}
