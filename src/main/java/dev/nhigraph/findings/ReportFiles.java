package dev.nhigraph.findings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.policy.Evidence;
import dev.nhigraph.policy.PolicyDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a {@link FindingsReport.Report} as report.json, findings.csv and report.html in one folder. Each file is
 * written beside its final name and then moved, so a reader never sees half a file.
 */
public final class ReportFiles {

    public static final String JSON_FILE = "report.json";
    public static final String CSV_FILE = "findings.csv";
    public static final String HTML_FILE = "report.html";

    private ReportFiles() {
    }

    /** The files written, and the report as written: with the comparison and the trend. */
    public record Written(FindingsReport.Report report, List<Path> files) {
    }

    /**
     * Writes the three files to {@code outDir}, creating it. The report already there is compared with the new one and
     * archived in {@code outDir/history}, of which the oldest files beyond {@code keep - 1} are deleted.
     */
    public static Written write(FindingsReport.Report built, Path outDir, int keep) {
        try {
            Files.createDirectories(outDir);
            JsonNode previous = ReportHistory.latest(outDir);
            FindingsReport.Report report = built.withHistory(ReportHistory.compare(previous, built),
                    ReportHistory.trend(outDir, previous, built));
            ReportHistory.archive(outDir, previous, keep);
            return new Written(report, write(report, outDir));
        } catch (IOException e) {
            throw new NhigraphException("Failed to write the findings report to " + outDir + ": " + e.getMessage()
                    + ". Choose a writable folder with --out.", e);
        }
    }

    private static List<Path> write(FindingsReport.Report report, Path outDir) {
        try {
            byte[] json = PolicyDocuments.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(report);
            return List.of(replace(outDir.resolve(JSON_FILE), json),
                    replace(outDir.resolve(CSV_FILE), csv(report).getBytes(StandardCharsets.UTF_8)),
                    replace(outDir.resolve(HTML_FILE), ReportHtml.render(report).getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new NhigraphException("Failed to write the findings report to " + outDir + ": " + e.getMessage()
                    + ". Choose a writable folder with --out.", e);
        }
    }

    private static Path replace(Path file, byte[] content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.write(partial, content);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /**
     * The CSV columns, in order; one row per open finding (the toxic combinations that an administrator finding lists
     * included), then one per accepted risk. {@code folded_into} names the rule of the administrator finding that
     * lists a row's toxic combination, and {@code cause} the report's cause of the row, or of that finding.
     */
    static final List<String> CSV_COLUMNS = List.of("status", "severity", "rule", "title", "cloud", "principal",
            "principal_kind", "resource", "detail", "conditional", "path", "evidence", "iso27001_2022", "iso27001_2013",
            "remediation", "accepted_owner", "accepted_reason", "accepted_expires", "cause", "folded_into");

    static String csv(FindingsReport.Report report) {
        Map<String, Finding> administratorFindings = new HashMap<>();
        for (Finding finding : report.findings()) {
            if (finding.toxicCombinations() != null) {
                administratorFindings.put(finding.principal(), finding);
            }
        }
        StringBuilder out = new StringBuilder(String.join(",", CSV_COLUMNS)).append("\r\n");
        report.findings().forEach(finding -> csvRow(out, finding, null));
        report.foldedFindings().forEach(finding -> csvRow(out, finding, administratorFindings.get(finding.principal())));
        report.acceptedRisks().forEach(finding -> csvRow(out, finding, null));
        return out.toString();
    }

    private static void csvRow(StringBuilder out, Finding finding, Finding foldedInto) {
        Finding.AcceptedRisk risk = finding.acceptedRisk();
        String cause = foldedInto == null ? finding.cause() : foldedInto.cause();
        List<String> cells = List.of(risk == null ? "open" : "accepted", finding.severity(), finding.rule(), finding.title(),
                finding.cloud(), finding.principal(), nullToEmpty(finding.principalKind()), nullToEmpty(finding.resource()),
                nullToEmpty(finding.detail()), String.valueOf(finding.conditional()), paths(finding), evidence(finding),
                String.join(" ", finding.controls().iso2022()), String.join(" ", finding.controls().iso2013()),
                finding.remediation(), risk == null ? "" : risk.owner(), risk == null ? "" : risk.reason(),
                risk == null ? "" : risk.expires(), nullToEmpty(cause), foldedInto == null ? "" : foldedInto.rule());
        out.append(cells.stream().map(ReportFiles::csvCell).collect(Collectors.joining(","))).append("\r\n");
    }

    /** Returns each part's path as "part: A -> B -> C", joined by " | ". */
    static String paths(Finding finding) {
        if (finding.parts() == null) {
            return "";
        }
        List<String> described = new ArrayList<>();
        for (Finding.PartHeld part : finding.parts()) {
            described.add(part.name() + ": " + pathText(finding.principal(), part));
        }
        return String.join(" | ", described);
    }

    /** Returns "A -CAN_ASSUME-> B -CAN_ESCALATE(iam-001)-> C", or "A (itself)" when the principal holds the part. */
    static String pathText(String principal, Finding.PartHeld part) {
        if (part.path().isEmpty()) {
            return principal + " (itself)";
        }
        StringBuilder text = new StringBuilder(principal);
        for (Finding.PathStep step : part.path()) {
            text.append(" -").append(step.kind()).append(step.technique() == null ? "" : "(" + step.technique() + ")")
                    .append(step.conditional() ? "?" : "").append("-> ").append(step.to());
        }
        return text.toString();
    }

    /** Returns the policies and statements behind a toxic combination, such as "POLICY#statement 0". */
    static String evidence(Finding finding) {
        if (finding.parts() == null) {
            return "";
        }
        List<String> items = new ArrayList<>();
        for (Finding.PartHeld part : finding.parts()) {
            for (Evidence statement : part.evidence()) {
                String item = statement.policy() + " statement " + statement.statement();
                if (!items.contains(item)) {
                    items.add(item);
                }
            }
        }
        return String.join("; ", items);
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    /**
     * Quotes a cell as RFC 4180 requires. A cell that starts with =, +, - or @ gets a leading apostrophe, because
     * spreadsheets run such a cell as a formula and identity names come from the cloud accounts being audited.
     */
    static String csvCell(String value) {
        String text = value;
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r") || !text.equals(value)) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
