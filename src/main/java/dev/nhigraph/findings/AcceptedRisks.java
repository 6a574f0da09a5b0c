package dev.nhigraph.findings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The accepted risks of an exceptions file: findings that an owner has accepted, for a reason, until a date.
 *
 * <pre>
 * exceptions:
 *   - rule: aws-role-unused
 *     principal: arn:aws:iam::111111111111:role/disaster-recovery
 *     resource: KEY_ID          # optional; when given, only the finding that names this resource
 *     owner: platform-team
 *     reason: Assumed only in a regional failover, tested twice a year.
 *     expires: 2027-06-30       # the last day the exception applies
 * </pre>
 *
 * <p>An exception applies to a finding of its rule and principal (and resource, when given) while the report's date
 * is on or before {@code expires}. After that the finding is open again, and the report marks the exception expired.
 */
public final class AcceptedRisks {

    /**
     * One entry of the file.
     *
     * @param entry the entry's position in the file, from 1, for messages
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(int entry, String rule, String principal, String resource, String owner, String reason,
                        LocalDate expires) {

        boolean matches(Finding finding) {
            return rule.equals(finding.rule()) && principal.equals(finding.principal())
                    && (resource == null || resource.equals(finding.resource()));
        }
    }

    /**
     * The outcome of one entry in a report.
     *
     * @param status applied, expired (its findings are open again) or unmatched (no finding of the report matches it)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String rule, String principal, String resource, String owner, String expires, String status,
                         int findings) {
    }

    private static final Set<String> FIELDS = Set.of("rule", "principal", "resource", "owner", "reason", "expires");

    private final Path file;
    private final List<Entry> entries;

    private AcceptedRisks(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Returns an empty set, for reports without an exceptions file. */
    public static AcceptedRisks none() {
        return new AcceptedRisks(null, List.of());
    }

    /**
     * Reads and validates an exceptions file.
     *
     * @param ruleIds the ids of the catalogue, since an exception for an unknown rule is most likely a typo
     * @throws BadInputException naming the file, the entry and the field when the file is missing or invalid
     */
    public static AcceptedRisks read(Path file, Set<String> ruleIds) {
        JsonNode root;
        String text;
        try {
            text = Files.readString(file);
            root = RuleCatalog.YAML.readTree(text);
        } catch (NoSuchFileException e) {
            throw new BadInputException("Exceptions file " + file + " was not found. Give the path of a YAML file with"
                    + " an exceptions: list, or leave --exceptions out.", e);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new BadInputException("Exceptions file " + file + " is not valid YAML" + where + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ". Fix the file there.", e);
        } catch (IOException e) {
            throw new BadInputException("Exceptions file " + file + " is not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse("") + ".", e);
        }
        if (root == null || !root.isObject() || !root.path("exceptions").isArray()) {
            throw new BadInputException("Exceptions file " + file + " must be a YAML mapping with an exceptions: list;"
                    + " see docs/findings.md for an example.");
        }
        List<Entry> entries = new ArrayList<>();
        JsonNode list = root.get("exceptions");
        List<Integer> lines = entryLines(text);
        for (int i = 0; i < list.size(); i++) {
            Path where = i < lines.size() ? Path.of(file + ":" + lines.get(i)) : file;
            entries.add(entry(where, i + 1, list.get(i), ruleIds));
        }
        return new AcceptedRisks(file, List.copyOf(entries));
    }

    /**
     * Returns the line on which each item of the top-level exceptions list starts, so that an error about an entry can
     * name its line; the list is empty when the text cannot be walked.
     */
    private static List<Integer> entryLines(String text) {
        List<Integer> lines = new ArrayList<>();
        try (JsonParser parser = RuleCatalog.YAML.getFactory().createParser(text)) {
            int depth = 0;
            boolean inExceptions = false;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (depth == 2 && inExceptions && token != JsonToken.END_ARRAY) {
                    lines.add(parser.currentTokenLocation().getLineNr());
                }
                if (token.isStructStart()) {
                    if (depth == 1) {
                        inExceptions = token == JsonToken.START_ARRAY && "exceptions".equals(parser.currentName());
                    }
                    depth++;
                    if (depth > 2) {
                        parser.skipChildren();
                        depth--;
                    }
                } else if (token.isStructEnd()) {
                    depth--;
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return lines;
    }

    private static Entry entry(Path file, int number, JsonNode node, Set<String> ruleIds) {
        if (!node.isObject()) {
            throw invalid(file, number, "the entry", "must be a mapping with rule, principal, owner, reason and expires");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid(file, number, name, "is not an exception field; the fields are expires, owner, principal,"
                        + " reason, resource and rule");
            }
        }
        String rule = text(file, number, node, "rule", true);
        if (!ruleIds.contains(rule)) {
            String nearest = nearest(rule, ruleIds);
            throw invalid(file, number, "rule", "\"" + rule + "\" is not a rule id"
                    + (nearest == null ? "" : "; did you mean \"" + nearest + "\"?") + " `docs/findings.md` lists them");
        }
        String expiresText = text(file, number, node, "expires", true);
        LocalDate expires;
        try {
            expires = LocalDate.parse(expiresText);
        } catch (DateTimeParseException e) {
            throw invalid(file, number, "expires", "\"" + expiresText + "\" is not a date of the form YYYY-MM-DD");
        }
        return new Entry(number, rule, text(file, number, node, "principal", true), text(file, number, node, "resource", false),
                text(file, number, node, "owner", true), text(file, number, node, "reason", true), expires);
    }

    private static String text(Path file, int number, JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw invalid(file, number, field, "is missing");
            }
            return null;
        }
        // YAML reads an unquoted 2027-06-30 as text, but a number or a list here is a mistake.
        if (!value.isTextual() || value.asText().isBlank()) {
            throw invalid(file, number, field, "must be a non-empty text, not " + value);
        }
        return value.asText().strip();
    }

    private static BadInputException invalid(Path file, int number, String field, String problem) {
        return new BadInputException("Invalid exceptions file " + file + ": entry " + number + ", " + field + " " + problem
                + ". Fix the entry or remove it.");
    }

    /** The findings split into open and accepted, and the status of each entry. */
    public record Applied(List<Finding> open, List<Finding> accepted, List<Status> statuses) {
    }

    /** Splits {@code findings} into open and accepted as of {@code today}, the report's date. */
    public Applied apply(List<Finding> findings, LocalDate today) {
        List<Finding> open = new ArrayList<>();
        List<Finding> accepted = new ArrayList<>();
        int[] matched = new int[entries.size()];
        for (Finding finding : findings) {
            Finding result = finding;
            for (int i = 0; i < entries.size(); i++) {
                Entry entry = entries.get(i);
                if (!entry.matches(finding)) {
                    continue;
                }
                matched[i]++;
                Finding.AcceptedRisk risk = new Finding.AcceptedRisk(entry.owner(), entry.reason(),
                        entry.expires().toString(), file + " entry " + entry.entry());
                if (!today.isAfter(entry.expires()) && result.acceptedRisk() == null) {
                    result = finding.accepted(risk);
                } else if (today.isAfter(entry.expires()) && result.expiredException() == null) {
                    result = result.withExpiredException(risk);
                }
            }
            if (result.acceptedRisk() != null && result.expiredException() != null) {
                // Another entry still accepts it, so the expired one changes nothing.
                result = result.withExpiredException(null);
            }
            (result.acceptedRisk() == null ? open : accepted).add(result);
        }
        List<Status> statuses = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            String status = matched[i] == 0 ? "unmatched" : today.isAfter(entry.expires()) ? "expired" : "applied";
            statuses.add(new Status(entry.rule(), entry.principal(), entry.resource(), entry.owner(),
                    entry.expires().toString(), status, matched[i]));
        }
        return new Applied(open, accepted, statuses);
    }

    /** Returns the file read, or null when there is none. */
    public Path file() {
        return file;
    }

    /** Returns the rule id nearest to {@code rule} and at most three edits away, the first by id among equals, or null. */
    static String nearest(String rule, Set<String> ruleIds) {
        String best = null;
        int bestEdits = 4;
        for (String id : new TreeSet<>(ruleIds)) {
            int edits = edits(rule, id);
            if (edits < bestEdits) {
                best = id;
                bestEdits = edits;
            }
        }
        return best;
    }

    /** Returns the number of single-character insertions, deletions and substitutions that turn {@code a} into {@code b}. */
    private static int edits(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
