package dev.nhigraph.findings;

import java.util.List;
import java.util.Map;

/**
 * The inline SVG pictures of the HTML report: the trend of open findings by severity across the retained reports,
 * and the path of an escalation finding. They use no script, font file or external reference, so the report stays
 * one self-contained file.
 */
final class ReportPictures {

    /** Fill colours per severity, the same as the left borders of the findings. */
    private static final Map<String, String> COLOURS = Map.of("critical", "#8b0000", "high", "#d2691e",
            "medium", "#daa520", "low", "#4682b4");

    private static final int BAR_WIDTH = 18;
    private static final int BAR_GAP = 8;
    private static final int CHART_HEIGHT = 120;
    private static final int LABEL_HEIGHT = 16;

    private static final int BOX_WIDTH = 170;
    private static final int BOX_HEIGHT = 34;
    private static final int ARROW_LENGTH = 90;
    private static final int MAX_LABEL_CHARS = 24;

    private ReportPictures() {
    }

    /**
     * Returns a stacked bar per report, oldest on the left, of its open findings by severity. The title of each bar
     * gives its date and counts.
     */
    static String trend(List<ReportHistory.TrendPoint> points) {
        int highest = Math.max(1, points.stream().mapToInt(ReportHistory.TrendPoint::open).max().orElse(1));
        int width = Math.max(1, points.size()) * (BAR_WIDTH + BAR_GAP) + BAR_GAP;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" id=\"trend\" width=\"").append(width)
                .append("\" height=\"").append(CHART_HEIGHT + LABEL_HEIGHT).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(CHART_HEIGHT + LABEL_HEIGHT).append("\"><title>Open findings by severity, per report, oldest first;"
                        + " the highest bar is ").append(highest).append("</title>");
        for (int i = 0; i < points.size(); i++) {
            ReportHistory.TrendPoint point = points.get(i);
            int x = BAR_GAP + i * (BAR_WIDTH + BAR_GAP);
            int y = CHART_HEIGHT;
            StringBuilder counts = new StringBuilder();
            StringBuilder bars = new StringBuilder();
            for (String severity : Rule.SEVERITIES) {
                int count = point.bySeverity().getOrDefault(severity, 0);
                counts.append(counts.length() == 0 ? "" : ", ").append(count).append(' ').append(severity);
                int height = (int) Math.round((double) count * (CHART_HEIGHT - 4) / highest);
                if (height == 0) {
                    continue;
                }
                y -= height;
                bars.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(BAR_WIDTH)
                        .append("\" height=\"").append(height).append("\" fill=\"").append(COLOURS.get(severity)).append("\"/>");
            }
            // The title comes first in its group, where browsers and screen readers look for it.
            svg.append("<g><title>").append(ReportHtml.escape(point.generatedAt())).append(": ").append(point.open())
                    .append(" open (").append(counts).append(")</title>").append(bars);
            svg.append("<text x=\"").append(x + BAR_WIDTH / 2).append("\" y=\"").append(CHART_HEIGHT + LABEL_HEIGHT - 3)
                    .append("\" font-size=\"10\" text-anchor=\"middle\">").append(point.open()).append("</text></g>");
        }
        return svg.append("</svg>").toString();
    }

    /**
     * Returns the path of an escalation finding as boxes joined by arrows, each arrow labelled with its step kind
     * and technique. A dashed arrow is a conditional step, and each box's title gives the principal's full id.
     */
    static String path(String start, List<Finding.PathStep> steps) {
        int width = (steps.size() + 1) * BOX_WIDTH + steps.size() * ARROW_LENGTH + 2;
        int height = BOX_HEIGHT + 24;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" class=\"path\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\"><title>").append(ReportHtml.escape(start)).append(" to ")
                .append(ReportHtml.escape(steps.isEmpty() ? start : steps.get(steps.size() - 1).to())).append(" in ")
                .append(steps.size()).append(steps.size() == 1 ? " step" : " steps").append("</title>");
        int x = 1;
        box(svg, x, start);
        for (Finding.PathStep step : steps) {
            int arrowStart = x + BOX_WIDTH;
            int middle = 20 + BOX_HEIGHT / 2;
            int tip = arrowStart + ARROW_LENGTH - 1;
            // The head is a polygon rather than an SVG marker, since a marker needs a url() reference.
            svg.append("<line x1=\"").append(arrowStart).append("\" y1=\"").append(middle).append("\" x2=\"")
                    .append(tip - 8).append("\" y2=\"").append(middle).append("\" stroke=\"#333\"")
                    .append(step.conditional() ? " stroke-dasharray=\"4 3\"" : "").append("/><polygon points=\"")
                    .append(tip - 9).append(',').append(middle - 5).append(' ').append(tip).append(',').append(middle).append(' ')
                    .append(tip - 9).append(',').append(middle + 5).append("\" fill=\"#333\"/>");
            String label = step.technique() == null ? step.kind() : step.technique();
            svg.append("<text x=\"").append(arrowStart + ARROW_LENGTH / 2).append("\" y=\"").append(middle - 6)
                    .append("\" font-size=\"10\" text-anchor=\"middle\">").append(ReportHtml.escape(shorten(label, 16)))
                    .append(step.conditional() ? "?" : "").append("<title>").append(ReportHtml.escape(step.kind()))
                    .append(step.technique() == null ? "" : " " + ReportHtml.escape(step.technique()))
                    .append(step.conditional() ? ", under a condition" : "").append("</title></text>");
            x = arrowStart + ARROW_LENGTH;
            box(svg, x, step.to());
        }
        return svg.append("</svg>").toString();
    }

    private static void box(StringBuilder svg, int x, String principal) {
        svg.append("<g><rect x=\"").append(x).append("\" y=\"20\" width=\"").append(BOX_WIDTH).append("\" height=\"")
                .append(BOX_HEIGHT).append("\" rx=\"5\" fill=\"#f4f4f4\" stroke=\"#555\"/><text x=\"").append(x + BOX_WIDTH / 2)
                .append("\" y=\"").append(20 + BOX_HEIGHT / 2 + 4).append("\" font-size=\"11\" text-anchor=\"middle\">")
                .append(ReportHtml.escape(shorten(shortName(principal), MAX_LABEL_CHARS))).append("</text><title>")
                .append(ReportHtml.escape(principal)).append("</title></g>");
    }

    /** Returns the last part of an ARN or resource name, which is what people call the principal. */
    static String shortName(String id) {
        int cut = Math.max(id.lastIndexOf('/'), id.lastIndexOf(':'));
        return cut >= 0 && cut < id.length() - 1 ? id.substring(cut + 1) : id;
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }
}
