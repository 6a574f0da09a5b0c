package dev.nhigraph.aws.keys;

import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.aws.keys.AccessKeyFacts.ReportKey;
import dev.nhigraph.aws.keys.AccessKeyFacts.ReportUser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the CSV of an IAM credential report: one row per user, and a {@code <root_account>} row for the account's
 * root user. Columns are found by their header name, so a report with more or fewer columns reads the same; only
 * {@code user} and {@code arn} are required.
 */
final class CredentialReportCsv {

    /** The first two header names of every credential report, by which a CSV file is recognised. */
    static final String HEADER_START = "user,arn";
    static final String ROOT_USER = "<root_account>";

    private static final Pattern USER_ARN = Pattern.compile("^arn:[a-z-]+:iam::(\\d{12}):(root|user/.+)$");

    private CredentialReportCsv() {
    }

    /** Returns true when {@code text} starts with the credential report's header line. */
    static boolean looksLikeReport(String text) {
        String start = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return start.startsWith(HEADER_START + ",") || start.startsWith(HEADER_START + "\n")
                || start.startsWith(HEADER_START + "\r");
    }

    /**
     * Parses the report's rows. A row that cannot be read is added to {@code skipped} with its line number and
     * reason, and the other rows still load.
     *
     * @param file         the file name, for messages
     * @param generatedAt  the report's GeneratedTime as an instant, or null when the file does not give it
     * @throws IllegalArgumentException when the header lacks the user or arn column
     */
    static List<ReportUser> parse(String csv, String file, String generatedAt, List<SkippedItem> skipped) {
        List<String> lines = csv.lines().toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("the report is empty");
        }
        List<String> header = fields(lines.get(0).replace("\uFEFF", ""));
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            columns.put(header.get(i).strip(), i);
        }
        if (!columns.containsKey("user") || !columns.containsKey("arn")) {
            throw new IllegalArgumentException("the header has no user or arn column: " + lines.get(0));
        }
        List<ReportUser> users = new ArrayList<>();
        for (int number = 2; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            if (line.isBlank()) {
                continue;
            }
            List<String> values = fields(line);
            String item = "line " + number;
            if (values.size() != header.size()) {
                skipped.add(new SkippedItem(file, item, "the row has " + values.size() + " fields but the header has "
                        + header.size() + "; export the report again with `aws iam get-credential-report`"));
                continue;
            }
            try {
                users.add(row(new Row(columns, values), generatedAt));
            } catch (IllegalArgumentException e) {
                skipped.add(new SkippedItem(file, item + " (" + values.get(columns.get("user")) + ")", e.getMessage()
                        + "; export the report again with `aws iam get-credential-report`"));
            }
        }
        return users;
    }

    private static ReportUser row(Row row, String generatedAt) {
        String name = row.text("user");
        String arn = row.text("arn");
        Matcher matcher = arn == null ? null : USER_ARN.matcher(arn);
        if (matcher == null || !matcher.matches()) {
            throw new IllegalArgumentException("the arn \"" + arn + "\" is not the ARN of an IAM user or of the root user");
        }
        boolean root = ROOT_USER.equals(name) || matcher.group(2).equals("root");
        List<ReportKey> keys = new ArrayList<>();
        for (int slot = 1; slot <= 2; slot++) {
            String prefix = "access_key_" + slot + "_";
            Boolean active = row.flag(prefix + "active");
            String lastRotated = row.date(prefix + "last_rotated");
            // An inactive slot without a date has no key.
            if (!Boolean.TRUE.equals(active) && lastRotated == null) {
                continue;
            }
            keys.add(new ReportKey(slot, Boolean.TRUE.equals(active), lastRotated, row.date(prefix + "last_used_date"),
                    row.text(prefix + "last_used_region"), row.text(prefix + "last_used_service")));
        }
        return new ReportUser(arn, root ? null : name, matcher.group(1), root, row.date("user_creation_time"),
                row.flag("password_enabled"), row.date("password_last_used"), row.date("password_last_changed"),
                row.flag("mfa_active"), keys, generatedAt);
    }

    /** One data row, read by header name; a missing column reads as no value. */
    private record Row(Map<String, Integer> columns, List<String> values) {

        String text(String column) {
            Integer index = columns.get(column);
            String value = index == null ? null : values.get(index).strip();
            return AwsDates.absent(value) ? null : value;
        }

        Boolean flag(String column) {
            try {
                return AwsDates.flag(text(column));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(column + " " + e.getMessage());
            }
        }

        String date(String column) {
            try {
                return AwsDates.instant(text(column));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(column + " " + e.getMessage());
            }
        }
    }

    /** Splits one CSV line, with double-quoted fields that may hold commas and doubled quotes. */
    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
