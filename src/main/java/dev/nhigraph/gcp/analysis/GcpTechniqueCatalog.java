package dev.nhigraph.gcp.analysis;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalogue of GCP privilege-escalation techniques, read from {@value #DEFAULT_RESOURCE} and checked entry by
 * entry. docs/gcp-escalation-techniques.md describes the format. Instances are immutable.
 */
public final class GcpTechniqueCatalog {

    public static final String DEFAULT_RESOURCE = "/gcp/escalation-techniques.json";

    static final Set<String> CATEGORIES = Set.of("credential", "delegation", "account-policy", "scope-policy",
            "custom-role", "new-workload", "existing-workload", "service-agent", "federation-token",
            "federation-provider", "listed");
    static final Set<String> OUTCOMES = Set.of("impersonate", "act-as", "admin", "custom-role-permissions",
            "pool-identity", "service-agent", "guardrails-only", "storage-only", "api-key-only", "resource-access-only",
            "persistence-only", "not-modelled");
    static final Set<String> CHECKED_ON = Set.of("target", "delegate", "target-project", "workload", "workload-project", "scope",
            "custom-role-owner", "pool", "any-service-account");
    static final Set<String> WORKLOAD_MATCHES = Set.of("runs-as-target", "any-in-target-project");
    static final Set<String> EDGE_KINDS = Set.of("CAN_IMPERSONATE", "CAN_ESCALATE");

    // Duplicate keys would silently keep the last value, so a copy-paste slip in an entry is rejected.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private static volatile GcpTechniqueCatalog defaultCatalog;

    private final List<GcpTechnique> techniques;
    private final Map<String, GcpTechnique> byId;

    private GcpTechniqueCatalog(List<GcpTechnique> techniques) {
        this.techniques = List.copyOf(techniques);
        Map<String, GcpTechnique> ids = new LinkedHashMap<>();
        techniques.forEach(t -> ids.put(t.id(), t));
        this.byId = Map.copyOf(ids);
    }

    /**
     * Returns the bundled catalogue, read once per JVM and checked against the shipped predefined roles.
     *
     * @throws UncheckedIOException if the resource is missing, is not valid JSON or has an invalid entry
     */
    public static GcpTechniqueCatalog loadDefault() {
        GcpTechniqueCatalog catalog = defaultCatalog;
        if (catalog == null) {
            synchronized (GcpTechniqueCatalog.class) {
                if (defaultCatalog == null) {
                    try (InputStream in = GcpTechniqueCatalog.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                        if (in == null) {
                            throw new IOException("The technique catalogue " + DEFAULT_RESOURCE
                                    + " is missing from the classpath; rebuild the jar with `mvn package`.");
                        }
                        defaultCatalog = read(in, PredefinedPermissions.load());
                    } catch (IOException e) {
                        throw new UncheckedIOException("Failed to load the GCP technique catalogue " + DEFAULT_RESOURCE
                                + ": " + e.getMessage(), e);
                    }
                }
                catalog = defaultCatalog;
            }
        }
        return catalog;
    }

    /**
     * Reads a catalogue and checks every entry. The stream is not closed.
     *
     * @param knownPermissions the permissions of the predefined roles; every required permission must be one of them
     *                         unless the requirement has a {@code catalogueNote} saying why not
     * @throws IOException if the input is not JSON of the expected shape or an entry is invalid. The message lists
     *                     every problem with the technique id
     */
    public static GcpTechniqueCatalog read(InputStream json, Set<String> knownPermissions) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IOException("The GCP technique catalogue is not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode entries = root == null ? null : root.get("techniques");
        if (entries == null || !entries.isArray() || root.size() != 1) {
            throw new IOException("The GCP technique catalogue must be an object with one field, a \"techniques\" array");
        }
        List<GcpTechnique> techniques = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            GcpTechnique technique;
            try {
                technique = MAPPER.treeToValue(entries.get(i), GcpTechnique.class);
            } catch (JsonProcessingException e) {
                problems.add("technique at index " + i + ": " + e.getOriginalMessage());
                continue;
            }
            String label = "technique " + (technique.id() == null ? "at index " + i : technique.id());
            for (String problem : problemsOf(technique, knownPermissions)) {
                problems.add(label + ": " + problem);
            }
            if (technique.id() != null && !ids.add(technique.id())) {
                problems.add(label + ": the id is used by an earlier entry; give each technique its own id");
            }
            techniques.add(technique);
        }
        if (!problems.isEmpty()) {
            throw new IOException(problems.size() + " problem(s) in the GCP technique catalogue:\n  "
                    + String.join("\n  ", problems));
        }
        return new GcpTechniqueCatalog(techniques);
    }

    /** Returns what is wrong with one entry, each as a sentence that names the field and the fix. */
    private static List<String> problemsOf(GcpTechnique t, Set<String> knownPermissions) {
        List<String> problems = new ArrayList<>();
        if (t.id() == null || !t.id().matches("gcp-\\d{3}")) {
            problems.add("id \"" + t.id() + "\" is invalid; use gcp-NNN with three digits");
        }
        requireText(problems, "name", t.name());
        requireText(problems, "note", t.note());
        if (!CATEGORIES.contains(t.category())) {
            problems.add("category \"" + t.category() + "\" is unknown; expected one of " + CATEGORIES);
        }
        if (!OUTCOMES.contains(t.outcome())) {
            problems.add("outcome \"" + t.outcome() + "\" is unknown; expected one of " + OUTCOMES);
        }

        boolean listed = "listed".equals(t.category());
        if (t.edgeKind() != null && !EDGE_KINDS.contains(t.edgeKind())) {
            problems.add("edgeKind \"" + t.edgeKind() + "\" is unknown; expected CAN_IMPERSONATE, CAN_ESCALATE or null");
        }
        if (listed && t.edgeKind() != null) {
            problems.add("a listed technique yields no step, so edgeKind must be null");
        }

        if (t.requires().isEmpty()) {
            problems.add("requires is empty; list every permission the caller needs");
        }
        for (GcpTechnique.Requirement requirement : t.requires()) {
            if (requirement.permission() == null || !CHECKED_ON.contains(requirement.on())) {
                problems.add("requirement " + requirement + " needs a permission and an \"on\" from " + CHECKED_ON);
                continue;
            }
            if (knownPermissions != null && !knownPermissions.contains(requirement.permission())
                    && requirement.catalogueNote() == null) {
                problems.add("permission " + requirement.permission() + " is in no predefined role; fix the spelling"
                        + " or add a catalogueNote saying why");
            }
        }

        if (t.workload() != null) {
            if (t.workload().assetTypes().isEmpty() || !WORKLOAD_MATCHES.contains(t.workload().match())) {
                problems.add("workload needs assetTypes and a match from " + WORKLOAD_MATCHES);
            }
        } else if ("existing-workload".equals(t.category())) {
            problems.add("an existing-workload technique needs a workload");
        }
        if ("service-agent".equals(t.category()) && (t.serviceAgent() == null || !t.serviceAgent().contains("@"))) {
            problems.add("a service-agent technique needs serviceAgent, the email of the account the work runs as");
        }

        if (t.sources().isEmpty()) {
            problems.add("sources is empty; name where the facts come from");
        }
        for (GcpTechnique.Source source : t.sources()) {
            if (source.url() == null || !source.url().startsWith("https://") || source.title() == null) {
                problems.add("source " + source + " needs a title and an https URL");
            }
        }
        return problems;
    }

    private static void requireText(List<String> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is missing");
        }
    }

    /** Returns every technique in file order. */
    public List<GcpTechnique> all() {
        return techniques;
    }

    public Optional<GcpTechnique> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public int size() {
        return techniques.size();
    }
}
