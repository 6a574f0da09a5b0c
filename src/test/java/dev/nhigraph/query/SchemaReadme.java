package dev.nhigraph.query;

import dev.nhigraph.db.GraphStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes {@code cypher/schema/README.md} from two sources: what a loaded graph really contains (labels, relationship
 * types, their properties with value types, and which labels each relationship type joins), read with Neo4j's
 * {@code db.schema.*} procedures, and the descriptions in {@code cypher/schema/descriptions.tsv}.
 *
 * <p>The descriptions file has one line per item, tab-separated: {@code label NAME TEXT}, {@code property
 * LABEL.NAME TEXT}, {@code relationship TYPE TEXT} or {@code relationship-property TYPE.NAME TEXT}. An item that
 * the graph holds but the file does not describe is returned by {@link #undescribed}, so a test fails when a loader
 * starts writing something new. Described items that the sample graph lacks are still documented, marked as absent
 * from the sample.
 */
final class SchemaReadme {

    static final Path DESCRIPTIONS = Path.of("cypher/schema/descriptions.tsv");
    static final Path README = Path.of("cypher/schema/README.md");

    /** The observed schema: per label its properties and their types, per relationship type the same and its ends. */
    record Observed(Map<String, Map<String, Set<String>>> labels, Map<String, Map<String, Set<String>>> relationships,
                    Map<String, Set<String>> ends) {
    }

    /** Labels that nodes carry beside a specific one, such as Principal beside AwsRole. */
    private static final Set<String> GENERAL_LABELS = Set.of("Principal", "Credential", "GcpResource");

    private final Map<String, String> descriptions = new TreeMap<>();
    private final Observed observed;

    SchemaReadme(Observed observed) throws IOException {
        this.observed = observed;
        for (String line : Files.readAllLines(DESCRIPTIONS, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", 3);
            if (fields.length != 3) {
                throw new IllegalArgumentException(DESCRIPTIONS + ": line \"" + line + "\" is not KIND<TAB>NAME<TAB>TEXT");
            }
            descriptions.put(fields[0] + " " + fields[1], fields[2].strip());
        }
    }

    /** Reads the schema of the graph in {@code store}. */
    static Observed observe(GraphStore store) {
        Map<String, Map<String, Set<String>>> labels = new TreeMap<>();
        Map<String, Map<String, Set<String>>> relationships = new TreeMap<>();
        Map<String, Set<String>> ends = new TreeMap<>();
        store.read(tx -> {
            tx.run("CALL db.schema.nodeTypeProperties() YIELD nodeLabels, propertyName, propertyTypes"
                    + " RETURN nodeLabels, propertyName, propertyTypes").forEachRemaining(r -> {
                List<String> nodeLabels = r.get("nodeLabels").asList(v -> v.asString());
                for (String label : nodeLabels) {
                    labels.computeIfAbsent(label, k -> new TreeMap<>());
                    if (nodeLabels.size() > 1 && GENERAL_LABELS.contains(label)) {
                        // The properties are documented under the specific label, such as AwsRole for :AwsRole:Principal.
                        continue;
                    }
                    Map<String, Set<String>> properties = labels.get(label);
                    if (!r.get("propertyName").isNull()) {
                        properties.computeIfAbsent(r.get("propertyName").asString(), k -> new TreeSet<>())
                                .addAll(r.get("propertyTypes").asList(v -> v.asString()));
                    }
                }
            });
            tx.run("CALL db.schema.relTypeProperties() YIELD relType, propertyName, propertyTypes"
                    + " RETURN relType, propertyName, propertyTypes").forEachRemaining(r -> {
                String type = r.get("relType").asString().replace(":", "").replace("`", "");
                Map<String, Set<String>> properties = relationships.computeIfAbsent(type, k -> new TreeMap<>());
                if (!r.get("propertyName").isNull()) {
                    properties.computeIfAbsent(r.get("propertyName").asString(), k -> new TreeSet<>())
                            .addAll(r.get("propertyTypes").asList(v -> v.asString()));
                }
            });
            tx.run("MATCH (a)-[r]->(b) RETURN DISTINCT type(r) AS type, labels(a) AS from, labels(b) AS to").forEachRemaining(r ->
                    ends.computeIfAbsent(r.get("type").asString(), k -> new TreeSet<>()).add("(" + labelText(r.get("from").asList())
                            + ")-[:" + r.get("type").asString() + "]->(" + labelText(r.get("to").asList()) + ")"));
            return null;
        });
        return new Observed(labels, relationships, ends);
    }

    /** Returns the items of the graph that the descriptions file does not describe, as "KIND NAME". */
    List<String> undescribed() {
        List<String> missing = new ArrayList<>();
        observed.labels().forEach((label, properties) -> {
            check(missing, "label " + label);
            properties.keySet().forEach(property -> check(missing, "property " + label + "." + property));
        });
        observed.relationships().forEach((type, properties) -> {
            check(missing, "relationship " + type);
            properties.keySet().forEach(property -> check(missing, "relationship-property " + type + "." + property));
        });
        return missing;
    }

    /** Returns the text of the README. */
    String render() {
        StringBuilder out = new StringBuilder();
        out.append("# The graph schema\n\n")
                .append("Every label, relationship type and property that nhigraph's loaders and analysis write into Neo4j.\n")
                .append("This file is generated: the names, value types and the labels each relationship joins are read from\n")
                .append("a graph loaded with the test sample (AWS, AWS Organizations, resource policies, OIDC trust and the GCP\n")
                .append("lab), and the descriptions come from `descriptions.tsv` beside this file. Regenerate it after changing a\n")
                .append("loader or a description:\n\n")
                .append("```sh\nmvn -o -q test -Dtest=SchemaReadmeTest -Dnhigraph.schema.write=true\n```\n\n")
                .append("`SchemaReadmeTest` fails when this file is out of date or the graph holds something without a description.\n")
                .append("Items marked \"not in the test sample\" are written by the loaders for inputs the sample does not have.\n\n")
                .append("The `.cypher` files here create the constraints and indexes; `nhigraph` applies them at every start.\n\n");

        out.append("## Labels\n\n");
        for (String label : names("label")) {
            Map<String, Set<String>> properties = observed.labels().getOrDefault(label, Map.of());
            out.append("### ").append(label).append(absent(observed.labels().containsKey(label))).append("\n\n")
                    .append(descriptions.get("label " + label)).append("\n\n")
                    .append("| property | type | description |\n|---|---|---|\n");
            for (String property : names("property", label + ".")) {
                String name = property.substring(label.length() + 1);
                out.append("| `").append(name).append("` | ").append(types(properties.get(name))).append(" | ")
                        .append(descriptions.get("property " + property)).append(absent(properties.containsKey(name))).append(" |\n");
            }
            out.append('\n');
        }

        out.append("## Relationship types\n\n");
        for (String type : names("relationship")) {
            Map<String, Set<String>> properties = observed.relationships().getOrDefault(type, Map.of());
            out.append("### ").append(type).append(absent(observed.relationships().containsKey(type))).append("\n\n")
                    .append(descriptions.get("relationship " + type)).append("\n\n");
            for (String end : observed.ends().getOrDefault(type, Set.of())) {
                out.append("- `").append(end).append("`\n");
            }
            List<String> described = names("relationship-property", type + ".");
            if (!described.isEmpty()) {
                out.append("\n| property | type | description |\n|---|---|---|\n");
                for (String property : described) {
                    String name = property.substring(type.length() + 1);
                    out.append("| `").append(name).append("` | ").append(types(properties.get(name))).append(" | ")
                            .append(descriptions.get("relationship-property " + property)).append(absent(properties.containsKey(name)))
                            .append(" |\n");
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private void check(List<String> missing, String key) {
        if (!descriptions.containsKey(key)) {
            missing.add(key);
        }
    }

    /** Returns the described names of one kind, optionally only those starting with {@code prefix}, sorted. */
    private List<String> names(String kind, String... prefix) {
        List<String> names = new ArrayList<>();
        for (String key : descriptions.keySet()) {
            if (key.startsWith(kind + " ")) {
                String name = key.substring(kind.length() + 1);
                if (prefix.length == 0 || name.startsWith(prefix[0])) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static String absent(boolean present) {
        return present ? "" : " (not in the test sample)";
    }

    private static String types(Set<String> types) {
        return types == null || types.isEmpty() ? "" : String.join(", ", types);
    }

    private static String labelText(List<Object> labels) {
        List<String> names = new ArrayList<>();
        labels.forEach(label -> names.add(":" + label));
        names.sort(null);
        return String.join("", names);
    }
}
