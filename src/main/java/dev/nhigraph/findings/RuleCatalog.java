package dev.nhigraph.findings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.nhigraph.NhigraphException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rule catalogue: one YAML file per rule under {@code cypher/rules/}, listed in {@code cypher/rules/index.txt}
 * because a jar cannot list a folder. A test checks that the index and the folder agree.
 *
 * <p>Each file is validated whole when it is read, so a typo in a field name or a missing control stops the report
 * with the file and the field named, rather than producing a report with a silently empty rule.
 */
public final class RuleCatalog {

    /** The classpath folder of the rule files, a copy of the repository's {@code cypher/rules}. */
    public static final String FOLDER = "cypher/rules/";

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Pattern ID = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
    private static final Pattern CONTROL_2022 = Pattern.compile("^A\\.[5-8]\\.\\d{1,2}$");
    private static final Pattern CONTROL_2013 = Pattern.compile("^A\\.(5|6|7|8|9|10|11|12|13|14|15|16|17|18)(\\.\\d{1,2}){1,2}$");
    private static final Set<String> FIELDS = Set.of("id", "title", "kind", "cloud", "severity", "rationale", "remediation",
            "controls", "parts", "check");

    private RuleCatalog() {
    }

    /** Reads every rule that the index lists, in index order. */
    public static List<Rule> loadDefault() {
        List<Rule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String file : index()) {
            Rule rule = parse(file, readResource(FOLDER + file));
            if (!ids.add(rule.id())) {
                throw new NhigraphException("Rule file " + FOLDER + file + ": id " + rule.id() + " is used by another rule;"
                        + " give each rule its own id.");
            }
            rules.add(rule);
        }
        return rules;
    }

    /** Returns the file names that {@code cypher/rules/index.txt} lists, without comments and blank lines. */
    public static List<String> index() {
        List<String> files = new ArrayList<>();
        for (String line : readResource(FOLDER + "index.txt").split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                files.add(name);
            }
        }
        return files;
    }

    /**
     * Parses one rule file.
     *
     * @throws NhigraphException naming the file and the field when the rule is invalid
     */
    public static Rule parse(String file, String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw invalid(file, "the file", "is not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) {
            throw invalid(file, "the file", "must be a YAML mapping of id, title, kind, ... fields");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid(file, name, "is not a rule field; the fields are " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        String id = text(root, "id", file);
        if (!ID.matcher(id).matches()) {
            throw invalid(file, "id", "\"" + id + "\" must be lower-case words joined by hyphens");
        }
        String kind = oneOf(root, "kind", file, List.of(Rule.TOXIC_COMBINATION, Rule.HYGIENE, Rule.ESCALATION));
        // "any" is for hygiene rules whose check covers both clouds; a toxic combination names one cloud's rights.
        String cloud = oneOf(root, "cloud", file, Rule.TOXIC_COMBINATION.equals(kind) ? List.of("aws", "gcp") : List.of("aws", "gcp", "any"));
        String severity = oneOf(root, "severity", file, Rule.SEVERITIES);
        Rule.Controls controls = controls(root, file);

        List<Rule.Part> parts = new ArrayList<>();
        String cypher = null;
        String builtin = null;
        if (Rule.TOXIC_COMBINATION.equals(kind)) {
            parts = parts(root, file, cloud);
        } else {
            JsonNode check = root.path("check");
            if (!check.isObject() || check.size() != 1 || !(check.has("cypher") || check.has("builtin"))) {
                throw invalid(file, "check", "a " + kind + " rule needs a check with exactly one of cypher (a read-only query)"
                        + " or builtin (the name of a Java check)");
            }
            cypher = check.has("cypher") ? text(check, "cypher", file) : null;
            builtin = check.has("builtin") ? oneOf(check, "builtin", file, HygieneChecks.BUILTINS) : null;
            if (root.has("parts")) {
                throw invalid(file, "parts", "only a toxic-combination rule has parts");
            }
        }
        return new Rule(id, text(root, "title", file), kind, cloud, severity, text(root, "rationale", file),
                text(root, "remediation", file), controls, List.copyOf(parts), cypher, builtin, FOLDER + file);
    }

    private static Rule.Controls controls(JsonNode root, String file) {
        JsonNode controls = root.path("controls");
        if (!controls.isObject()) {
            throw invalid(file, "controls", "is missing; give iso27001-2022 and iso27001-2013 lists such as [A.5.15] and [A.9.2.3]");
        }
        List<String> iso2022 = strings(controls, "iso27001-2022", file, "controls.iso27001-2022");
        List<String> iso2013 = strings(controls, "iso27001-2013", file, "controls.iso27001-2013");
        for (String control : iso2022) {
            if (!CONTROL_2022.matcher(control).matches()) {
                throw invalid(file, "controls.iso27001-2022", "\"" + control + "\" is not an Annex A control of the 2022"
                        + " edition, which are A.5.1 to A.8.34");
            }
        }
        for (String control : iso2013) {
            if (!CONTROL_2013.matcher(control).matches()) {
                throw invalid(file, "controls.iso27001-2013", "\"" + control + "\" is not an Annex A control of the 2013"
                        + " edition, such as A.9.2.3");
            }
        }
        return new Rule.Controls(iso2022, iso2013);
    }

    private static List<Rule.Part> parts(JsonNode root, String file, String cloud) {
        JsonNode parts = root.path("parts");
        if (!parts.isArray() || parts.isEmpty()) {
            throw invalid(file, "parts", "a toxic-combination rule needs a list of parts, each with a name and "
                    + ("aws".equals(cloud) ? "actions" : "permissions"));
        }
        List<Rule.Part> result = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = parts.get(i);
            String field = "parts[" + i + "]";
            String name = text(part, "name", file, field + ".name");
            if ("aws".equals(cloud)) {
                result.add(new Rule.Part(name, strings(part, "actions", file, field + ".actions"), List.of()));
            } else {
                result.add(new Rule.Part(name, List.of(), strings(part, "permissions", file, field + ".permissions")));
            }
        }
        return result;
    }

    private static String text(JsonNode node, String name, String file) {
        return text(node, name, file, name);
    }

    private static String text(JsonNode node, String name, String file, String field) {
        JsonNode value = node.path(name);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw invalid(file, field, "is missing or not a text");
        }
        return value.asText().strip();
    }

    private static String oneOf(JsonNode node, String name, String file, List<String> allowed) {
        String value = text(node, name, file);
        if (!allowed.contains(value)) {
            throw invalid(file, name, "\"" + value + "\" is not one of " + String.join(", ", allowed));
        }
        return value;
    }

    private static List<String> strings(JsonNode node, String name, String file, String field) {
        JsonNode value = node.path(name);
        if (!value.isArray() || value.isEmpty()) {
            throw invalid(file, field, "is missing or not a non-empty list");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw invalid(file, field, "contains " + item + ", which is not a text");
            }
            result.add(item.asText().strip());
        }
        return List.copyOf(result);
    }

    private static NhigraphException invalid(String file, String field, String problem) {
        return new NhigraphException("Invalid rule file " + FOLDER + file + ": " + field + " " + problem + ".");
    }

    private static String readResource(String path) {
        try (InputStream in = RuleCatalog.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new NhigraphException("Rule resource " + path + " is missing from the build; rebuild with mvn package.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NhigraphException("Failed to read rule resource " + path + ": " + e.getMessage(), e);
        }
    }
}
