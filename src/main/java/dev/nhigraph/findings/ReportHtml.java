package dev.nhigraph.findings;

import dev.nhigraph.analysis.SnapshotDiff;
import dev.nhigraph.policy.Evidence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a report as one self-contained HTML page: the style is inline and nothing is loaded from elsewhere, so
 * the file can be mailed or archived as audit evidence and still opens the same way.
 */
final class ReportHtml {

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2em;max-width:72em;color:#1b1b1b}
            table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
            .finding{border:1px solid #ccc;border-left:.4em solid #888;padding:.4em .8em;margin:.6em 0}
            .critical{border-left-color:#8b0000}.high{border-left-color:#d2691e}.medium{border-left-color:#daa520}.low{border-left-color:#4682b4}
            code{font-size:90%;word-break:break-all}dt{font-weight:600}dd{margin:0 0 .3em 1em}.muted{color:#555}
            """;

    /** New or resolved findings up to this many are listed unfolded. */
    private static final int OPEN_CHANGE_LIST = 10;
    /** A cause with more principals than this lists them folded, so that the next entry stays in view. */
    private static final int FOLD_PRINCIPALS_ABOVE = 10;

    private ReportHtml() {
    }

    static String render(FindingsReport.Report report) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>nhigraph findings report</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n");
        html.append("<h1>Findings report</h1>\n<p class=\"muted\">As of ").append(escape(report.asOf().time()))
                .append(" (").append(escape(report.asOf().source())).append("), exceptions as of ")
                .append(escape(report.asOf().exceptionsDate())).append(", generated ").append(escape(report.generatedAt()));
        if (report.snapshot() != null) {
            html.append(", snapshot <code>").append(escape(String.valueOf(report.snapshot().get("id")))).append("</code>");
        }
        html.append(".</p>\n");

        atAGlance(html, report.summary());
        comparison(html, report.comparison());
        drift(html, report.drift());
        summary(html, report);
        if (report.trend() != null && report.trend().size() > 1) {
            html.append("<h3>Trend</h3>\n<p class=\"muted\">Open findings by severity in each report this folder keeps,"
                    + " oldest on the left.</p>\n").append(ReportPictures.trend(report.trend())).append('\n');
            trendTable(html, report.trend());
        }
        html.append("<h2>Open findings</h2>\n");
        if (report.findings().isEmpty()) {
            html.append("<p>No open findings.</p>\n");
        }
        Map<String, FindingCauses.Cause> causes = new LinkedHashMap<>();
        report.causes().forEach(cause -> causes.put(cause.id(), cause));
        for (String severity : Rule.SEVERITIES) {
            List<Finding> ofSeverity = report.findings().stream().filter(f -> f.severity().equals(severity)).toList();
            if (ofSeverity.isEmpty()) {
                continue;
            }
            Map<String, List<Finding>> byCause = new LinkedHashMap<>();
            ofSeverity.forEach(finding -> byCause.computeIfAbsent(finding.cause(), id -> new ArrayList<>()).add(finding));
            html.append("<section id=\"severity-").append(severity).append("\">\n<h3>").append(capitalised(severity))
                    .append(" (").append(ofSeverity.size()).append(" listed, ")
                    .append(byCause.size()).append(byCause.size() == 1 ? " cause" : " causes").append(")</h3>\n");
            byCause.forEach((id, members) -> {
                if (members.size() == 1) {
                    finding(html, members.get(0));
                } else {
                    causeGroup(html, causes.get(id), members);
                }
            });
            html.append("</section>\n");
        }

        html.append("<h2 id=\"accepted-risks\">Accepted risks (").append(report.acceptedRisks().size()).append(")</h2>\n");
        report.acceptedRisks().forEach(finding -> finding(html, finding));
        exceptions(html, report.exceptions());
        rules(html, report.rules());

        html.append("<h2 id=\"coverage-gaps\">Coverage gaps</h2>\n<ul>\n");
        report.coverageGaps().forEach(gap -> html.append("<li>").append(escape(gap)).append("</li>\n"));
        html.append("</ul>\n");
        FindingsReport.Limits limits = report.limits();
        html.append("<h2>Limits</h2>\n<p>Paths of at most ").append(limits.maxDepth()).append(" steps and ")
                .append(limits.maxPrincipalsPerWalk()).append(" principals per walk; at most ").append(limits.maxFindingsPerRule())
                .append(" findings per rule; ").append(limits.toxicTimeLimitSeconds())
                .append(" s for all toxic combinations and ").append(limits.queryTimeLimitSeconds())
                .append(" s per hygiene query; key rotation period ").append(limits.rotationDays()).append(" days; unused after ")
                .append(limits.unusedDays()).append(" days.</p>\n");
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    /** Writes the size of the problem in three numbers: findings, distinct causes and administrators. */
    private static void atAGlance(StringBuilder html, FindingsReport.Summary summary) {
        html.append("<section id=\"at-a-glance\">\n<p><strong>").append(summary.open()).append(" open finding(s) from ")
                .append(summary.causes()).append(" distinct cause(s)</strong>, listed as ").append(summary.listed())
                .append(" entries. <strong>").append(summary.administrators())
                .append(" role(s), IAM user(s) and service account(s) are administrators or can become one</strong>")
                .append(" (SSO and service-linked roles and accepted risks not counted)");
        if (summary.foldedIntoAdministrators() > 0) {
            html.append("; their ").append(summary.foldedIntoAdministrators())
                    .append(" toxic-combination finding(s) are listed by rule in their administrator finding");
        }
        html.append(". ").append(summary.accepted()).append(" accepted risk(s).</p>\n</section>\n");
    }

    private static void comparison(StringBuilder html, ReportHistory.Comparison comparison) {
        if (comparison == null) {
            return;
        }
        html.append("<section id=\"changes\">\n<h2>Changes since the previous report</h2>\n");
        if (comparison.previousGeneratedAt() == null) {
            html.append("<p>").append(escape(comparison.note())).append("</p>\n</section>\n");
            return;
        }
        html.append("<p>Compared with the report of ").append(escape(comparison.previousGeneratedAt())).append(": ")
                .append(comparison.newCount()).append(" new, ").append(comparison.resolvedCount()).append(" resolved, ")
                .append(comparison.unchangedCount()).append(" unchanged open finding(s).</p>\n");
        changeList(html, "new-findings", "New", comparison.newFindings(), comparison.newCount());
        changeList(html, "resolved-findings", "Resolved", comparison.resolvedFindings(), comparison.resolvedCount());
        html.append("</section>\n");
    }

    private static void drift(StringBuilder html, SnapshotDiff.Diff drift) {
        if (drift == null) {
            return;
        }
        html.append("<section id=\"drift\">\n<h2>Drift since the previous load</h2>\n<p class=\"muted\">Snapshot <code>")
                .append(escape(drift.from().id().substring(0, 12))).append("</code> (").append(escape(drift.from().loadedAt()))
                .append(") to <code>").append(escape(drift.to().id().substring(0, 12))).append("</code> (")
                .append(escape(drift.to().loadedAt())).append("); <code>nhigraph diff</code> lists every item.</p>\n");
        if (drift.headlines().isEmpty()) {
            html.append("<p>Nothing changed.</p>\n");
        } else {
            html.append(drift.headlines().size() <= OPEN_CHANGE_LIST ? "<details open>" : "<details>")
                    .append("<summary>Changes (").append(drift.headlines().size()).append(")</summary>\n<ul>\n");
            drift.headlines().forEach(line -> html.append("<li>").append(escape(line)).append("</li>\n"));
            html.append("</ul></details>\n");
        }
        html.append("</section>\n");
    }

    private static void changeList(StringBuilder html, String id, String heading, List<ReportHistory.FindingRef> listed,
                                   int count) {
        if (listed.isEmpty()) {
            return;
        }
        // A long list is folded, so that the summary below stays near the top of the page.
        html.append(count <= OPEN_CHANGE_LIST ? "<details open>" : "<details>").append("<summary>").append(heading)
                .append(" (").append(count).append(")</summary>\n<ul id=\"").append(id).append("\">\n");
        for (ReportHistory.FindingRef ref : listed) {
            html.append("<li>").append(escape(ref.severity())).append(" <code>").append(escape(ref.rule())).append("</code> ")
                    .append("<code>").append(escape(ref.principal())).append("</code>")
                    .append(ref.resource() == null ? "" : " on <code>" + escape(ref.resource()) + "</code>")
                    .append(ref.detail() == null ? "" : ": " + escape(ref.detail())).append("</li>\n");
        }
        if (count > listed.size()) {
            html.append("<li class=\"muted\">and ").append(count - listed.size()).append(" more, in report.json</li>\n");
        }
        html.append("</ul></details>\n");
    }

    private static void summary(StringBuilder html, FindingsReport.Report report) {
        FindingsReport.Summary summary = report.summary();
        html.append("<h2>Summary</h2>\n<p>").append(summary.open()).append(" open finding(s), ").append(summary.accepted())
                .append(" accepted risk(s). The counts include the toxic combinations that administrator findings list by")
                .append(" rule.</p>\n<table id=\"by-severity\"><tr><th>Severity</th><th>Open</th><th>Listed</th>")
                .append("<th>Causes</th></tr>\n");
        Map<String, Integer> listed = new LinkedHashMap<>();
        Map<String, Set<String>> causes = new LinkedHashMap<>();
        for (Finding finding : report.findings()) {
            listed.merge(finding.severity(), 1, Integer::sum);
            causes.computeIfAbsent(finding.severity(), severity -> new LinkedHashSet<>()).add(finding.cause());
        }
        summary.bySeverity().forEach((severity, count) -> html.append("<tr><td><a href=\"#severity-").append(severity).append("\">")
                .append(capitalised(severity)).append("</a></td><td>").append(count).append("</td><td>")
                .append(listed.getOrDefault(severity, 0)).append("</td><td>")
                .append(causes.getOrDefault(severity, Set.of()).size()).append("</td></tr>\n"));
        html.append("</table>\n");
        controlTable(html, "by-control-2022", "2022", summary.byControl2022());
        controlTable(html, "by-control-2013", "2013", summary.byControl2013());
    }

    private static void controlTable(StringBuilder html, String id, String edition, Map<String, Integer> counts) {
        html.append("<table id=\"").append(id).append("\"><tr><th>ISO/IEC 27001:").append(edition)
                .append(" Annex A control</th><th>Title</th><th>Open findings</th></tr>\n");
        counts.forEach((control, count) -> {
            String title = IsoControls.title(edition, control);
            html.append("<tr><td>").append(escape(control)).append("</td><td>").append(title == null ? "" : escape(title))
                    .append("</td><td>").append(count).append("</td></tr>\n");
        });
        html.append("</table>\n");
    }

    private static void finding(StringBuilder html, Finding finding) {
        html.append("<article class=\"finding ").append(finding.severity()).append("\">\n<h4>").append(escape(finding.title()))
                .append("</h4>\n<dl>\n");
        item(html, "Rule", "<code>" + escape(finding.rule()) + "</code> (" + escape(finding.severity()) + ", " + escape(finding.cloud()) + ")");
        item(html, "Principal", "<code>" + escape(finding.principal()) + "</code>"
                + (finding.principalKind() == null ? "" : " " + escape(finding.principalKind())));
        if (finding.resource() != null) {
            item(html, "Resource", "<code>" + escape(finding.resource()) + "</code>");
        }
        item(html, "Found", escape(finding.detail()) + (finding.conditional() ? " <em>(conditional)</em>" : ""));

        toxicCombinations(html, finding.toxicCombinations(), "As an administrator, it also holds");
        if (finding.parts() != null) {
            item(html, "How", parts(finding));
            if (finding.kind().equals(Rule.ESCALATION)) {
                finding.parts().stream().filter(part -> !part.path().isEmpty()).findFirst()
                        .ifPresent(part -> item(html, "Path", ReportPictures.path(finding.principal(), part.path())));
            }
        }
        if (finding.expiredException() != null) {
            Finding.AcceptedRisk expired = finding.expiredException();
            item(html, "Exception expired", "accepted by " + escape(expired.owner()) + " until " + escape(expired.expires())
                    + " (" + escape(expired.file()) + "), so it is open again: renew the exception or fix the finding");
        }
        if (finding.facts() != null && !finding.facts().isEmpty()) {
            item(html, "Facts", "<code>" + escape(String.valueOf(finding.facts())) + "</code>");
        }

        controls(html, finding);
        item(html, "Remediation", escape(finding.remediation()));
        Finding.AcceptedRisk risk = finding.acceptedRisk();
        if (risk != null) {
            item(html, "Accepted", "by " + escape(risk.owner()) + " until " + escape(risk.expires()) + ": " + escape(risk.reason())
                    + " <span class=\"muted\">(" + escape(risk.file()) + ")</span>");
        }
        html.append("</dl>\n</article>\n");
    }

    private static void controls(StringBuilder html, Finding finding) {
        item(html, "Controls", "ISO/IEC 27001:2022 " + escape(String.join(", ", finding.controls().iso2022().stream()
                .map(control -> IsoControls.named("2022", control)).toList())) + "; 2013 " + escape(String.join(", ",
                finding.controls().iso2013().stream().map(control -> IsoControls.named("2013", control)).toList())));
    }

    /** Writes the toxic combinations that an administrator finding lists instead of one finding per rule. */
    private static void toxicCombinations(StringBuilder html, List<String> ruleIds, String holderAndVerb) {
        if (ruleIds == null || ruleIds.isEmpty()) {
            return;
        }
        item(html, "Toxic combinations", holderAndVerb + " " + ruleIds.size()
                + " toxic combinations, listed here instead of one finding per rule: " + String.join(", ", ruleIds.stream().map(id -> "<code>" + escape(id) + "</code>").toList()));
    }

    /** Writes one entry for the findings of one cause: the cause, then each principal with what was found for it. */
    private static void causeGroup(StringBuilder html, FindingCauses.Cause cause, List<Finding> members) {
        Finding first = members.get(0);
        html.append("<article class=\"finding ").append(first.severity()).append("\" id=\"cause-").append(escape(cause.id()))
                .append("\">\n<h4>").append(escape(first.title())).append(" (").append(members.size())
                .append(" principals)</h4>\n<dl>\n");
        item(html, "Rule", "<code>" + escape(first.rule()) + "</code> (" + escape(first.severity()) + ", " + escape(first.cloud()) + ")");
        item(html, "Cause", escape(cause.description()) + (cause.evidence() == null ? "" : evidence(cause.evidence())));
        StringBuilder principals = new StringBuilder(members.size() <= FOLD_PRINCIPALS_ABOVE ? "<details open>" : "<details>")
                .append("<summary>").append(members.size()).append(" principals</summary><ul>");
        Set<String> combinations = new LinkedHashSet<>();
        for (Finding member : members) {
            principals.append("<li><code>").append(escape(member.principal())).append("</code>")
                    .append(member.principalKind() == null ? "" : " " + escape(member.principalKind()))
                    .append(member.resource() == null ? "" : " on <code>" + escape(member.resource()) + "</code>")
                    .append(": ").append(escape(member.detail())).append(member.conditional() ? " <em>(conditional)</em>" : "");
            if (member.toxicCombinations() != null) {
                principals.append(" <span class=\"muted\">(").append(member.toxicCombinations().size())
                        .append(" toxic combinations)</span>");
                combinations.addAll(member.toxicCombinations());
            }
            principals.append("</li>");
        }
        item(html, "Principals", principals.append("</ul></details>").toString());
        toxicCombinations(html, combinations.isEmpty() ? null : List.copyOf(combinations), "As administrators, they also hold");
        controls(html, first);
        item(html, "Remediation", escape(first.remediation()));
        html.append("</dl>\n</article>\n");
    }

    /** Returns each part with its path, rights and evidence, as an HTML list. */
    private static String parts(Finding finding) {
        StringBuilder parts = new StringBuilder("<ul>");
        for (Finding.PartHeld part : finding.parts()) {
            parts.append("<li>").append(escape(part.name())).append(": <code>")
                    .append(escape(ReportFiles.pathText(finding.principal(), part))).append("</code>")
                    .append(part.conditional() ? " <em>(conditional)</em>" : "")
                    .append(part.rights().isEmpty() ? "" : "<br>rights: " + escape(String.join(", ", part.rights())))
                    .append(evidence(part.evidence())).append("</li>");
        }
        return parts.append("</ul>").toString();
    }

    private static String evidence(List<Evidence> statements) {
        if (statements.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("<details><summary>evidence (").append(statements.size()).append(")</summary><ul>");
        for (Evidence statement : statements) {
            // Evidence without a policy is a note of the analysis, such as why a principal is an administrator.
            if (statement.policy() == null) {
                text.append("<li>").append(escape(statement.note())).append("</li>");
                continue;
            }
            text.append("<li><code>").append(escape(statement.policy())).append("</code> statement ").append(statement.statement());
            if (statement.actions() != null) {
                text.append(": ").append(escape(statement.effect())).append(" ").append(escape(String.join(", ", statement.actions())));
            }
            if (statement.note() != null) {
                text.append(" <span class=\"muted\">").append(escape(statement.note())).append("</span>");
            }
            text.append("</li>");
        }
        return text.append("</ul></details>").toString();
    }

    private static void exceptions(StringBuilder html, List<AcceptedRisks.Status> statuses) {
        if (statuses.isEmpty()) {
            return;
        }
        html.append("<h2 id=\"exceptions\">Exceptions</h2>\n<table><tr><th>Rule</th><th>Principal</th><th>Owner</th>")
                .append("<th>Expires</th><th>Status</th><th>Findings</th></tr>\n");
        for (AcceptedRisks.Status status : statuses) {
            html.append("<tr><td>").append(escape(status.rule())).append("</td><td><code>").append(escape(status.principal()))
                    .append("</code></td><td>").append(escape(status.owner())).append("</td><td>").append(escape(status.expires()))
                    .append("</td><td>").append(escape(status.status())).append("</td><td>").append(status.findings()).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void rules(StringBuilder html, List<FindingsReport.RuleResult> rules) {
        html.append("<h2 id=\"rules\">Rules</h2>\n<table><tr><th>Rule</th><th>Severity</th><th>Open</th><th>In administrator findings</th>")
                .append("<th>Accepted</th><th>ISO/IEC 27001:2022</th><th>2013</th><th>Incomplete</th></tr>\n");
        for (FindingsReport.RuleResult rule : rules) {
            html.append("<tr><td><code>").append(escape(rule.id())).append("</code><br>").append(escape(rule.title()))
                    .append("</td><td>").append(rule.severity()).append("</td><td>").append(rule.open()).append("</td><td>")
                    .append(rule.foldedIntoAdministrators()).append("</td><td>").append(rule.accepted()).append("</td><td>").append(escape(String.join(", ", rule.controls().iso2022())))
                    .append("</td><td>").append(escape(String.join(", ", rule.controls().iso2013()))).append("</td><td>")
                    .append(rule.stoppedBy() == null ? "" : escape(rule.stoppedBy())).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void item(StringBuilder html, String term, String definitionHtml) {
        html.append("<dt>").append(term).append("</dt><dd>").append(definitionHtml).append("</dd>\n");
    }

    private static String capitalised(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /** Escapes text for an HTML element or a double-quoted attribute. */
    /** Writes the trend's numbers as a table too, newest first, since a chart's bar titles are lost in print. */
    private static void trendTable(StringBuilder html, List<ReportHistory.TrendPoint> trend) {
        html.append("<table id=\"trend-table\"><tr><th>Report</th><th>Open</th>");
        Rule.SEVERITIES.forEach(severity -> html.append("<th>").append(severity).append("</th>"));
        html.append("</tr>\n");
        for (int i = trend.size() - 1; i >= 0; i--) {
            ReportHistory.TrendPoint point = trend.get(i);
            html.append("<tr><td>").append(escape(point.generatedAt())).append("</td><td>").append(point.open()).append("</td>");
            Rule.SEVERITIES.forEach(severity -> html.append("<td>").append(point.bySeverity().getOrDefault(severity, 0))
                    .append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
