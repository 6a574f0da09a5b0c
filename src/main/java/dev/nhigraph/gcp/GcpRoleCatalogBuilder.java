package dev.nhigraph.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes {@code predefined-roles.tsv.gz} from a JSON file of predefined roles, one object per role name with
 * {@code title}, {@code stage}, {@code deleted} and {@code permissions}, the shape of
 * {@code gcloud iam roles describe} output gathered per role.
 *
 * <p>Run it with {@code java -cp target/nhigraph.jar dev.nhigraph.gcp.GcpRoleCatalogBuilder ROLES.json
 * src/main/resources/gcp/predefined-roles.tsv.gz}; gcp/NOTICE-predefined-roles.md says where to get a fresh ROLES.json.
 */
public final class GcpRoleCatalogBuilder {

    private GcpRoleCatalogBuilder() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("Usage: GcpRoleCatalogBuilder ROLES.json OUTPUT.tsv.gz");
            System.exit(2);
        }
        int count = build(Path.of(args[0]), Path.of(args[1]));
        System.out.println("Wrote " + count + " roles to " + args[1]);
    }

    /** Writes the catalogue of the roles in {@code input} to {@code output}, sorted by name; returns the number of roles. */
    static int build(Path input, Path output) throws IOException {
        JsonNode root = new ObjectMapper().readTree(input.toFile());
        if (root == null || !root.isObject()) {
            throw new IOException(input + " is not a JSON object of role name to role; see docs/gcp.md for the expected shape");
        }
        Map<String, String> lines = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode role = entry.getValue();
            List<String> permissions = new ArrayList<>();
            role.path("permissions").forEach(p -> permissions.add(p.asText()));
            permissions.sort(null);
            lines.put(entry.getKey(), String.join("\t", entry.getKey(), clean(role.path("title").asText("")),
                    clean(role.path("stage").asText("")), Boolean.toString(role.path("deleted").asBoolean(false)),
                    String.join(" ", permissions)));
        }
        Files.createDirectories(output.toAbsolutePath().getParent());
        try (OutputStream file = Files.newOutputStream(output);
             GZIPOutputStream gzip = new GZIPOutputStream(file) {
                 {
                     def.setLevel(Deflater.BEST_COMPRESSION);
                 }
             };
             Writer writer = new OutputStreamWriter(gzip, StandardCharsets.UTF_8)) {
            for (String line : lines.values()) {
                writer.write(line);
                writer.write('\n');
            }
        }
        return lines.size();
    }

    /** Removes tabs and line breaks, which would break the line format, from a title. */
    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
