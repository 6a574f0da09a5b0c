package dev.nhigraph.escalation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.escalation.Technique.Category;
import dev.nhigraph.policy.ActionCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the bundled catalogue against the source lists it was built from, which {@link #CORPUS}
 * locates relative to the project directory. A missing corpus fails the tests instead of skipping them.
 */
class TechniqueCatalogTest {

    /** Copies of the public sources, kept with their notices so that the test runs on a fresh clone. */
    private static final Path CORPUS = Path.of("src", "test", "resources", "corpus");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Techniques per category in the bundled file; docs/escalation-techniques.md gives the same counts. */
    private static final Map<Category, Integer> CATEGORY_COUNTS = Map.of(
            Category.NEW_PASSROLE, 31,
            Category.EXISTING_PASSROLE, 19,
            Category.PRINCIPAL_ACCESS, 14,
            Category.SELF_ESCALATION, 9,
            Category.OTHER, 2);

    private static final int PATHFINDING_SNAPSHOT_PATHS = 65;

    /** pathfinding.cloud ids that the catalogue uses but the corpus snapshot predates. */
    private static final Map<String, String> LATER_PATHFINDING_IDS = Map.of(
            "ecs-006", "added to pathfinding.cloud after the snapshot; cloudsplaining links its ECS Exec method to it");

    /** Categories that deliberately differ from pathfinding.cloud's. */
    private static final Map<String, String> CATEGORY_OVERRIDES = Map.of(
            "cloudformation-005", "no role is passed: the change set runs with the stack's existing service role");

    /** Rhino methods that no technique names, with the reason. */
    private static final Map<String, String> RHINO_NOT_COVERED = Map.of(
            "Creating a CodeStar project from a template",
                    "AWS discontinued CodeStar in 2024, and its action is not in the action catalogue",
            "Passing a role to a new CodeStar project", "AWS discontinued CodeStar in 2024",
            "Creating a new CodeStar project and associating a team member",
                    "AWS discontinued CodeStar in 2024, and Rhino rates the gain as project owner, not admin");

    /** Rhino methods whose permissions differ from those of every technique that names them. */
    private static final Map<String, String> RHINO_PERMISSION_DIFFERENCES = Map.of(
            "Updating the AssumeRolePolicyDocument of a role",
                    "iam-012 drops sts:AssumeRole: a same-account trust policy naming the caller needs no allow",
            "Passing a role to Data Pipeline",
                    "datapipeline-001 adds datapipeline:ActivatePipeline, without which the pipeline never runs",
            "Passing a role to a new SageMaker Jupyter notebook",
                    "sagemaker-001 follows pathfinding.cloud, which lists the presigned URL as optional");

    /** cloudsplaining methods whose actions differ from those of every technique that names them. */
    private static final Map<String, String> CLOUDSPLAINING_PERMISSION_DIFFERENCES = Map.of(
            "PassExistingRoleToNewDataPipeline",
                    "datapipeline-001 also needs the pipeline definition and activation to run anything",
            "cloudsplaining-2020 UpdateRolePolicyToAssumeIt",
                    "iam-012 drops sts:AssumeRole: a same-account trust policy naming the caller needs no allow");

    /** cloudsplaining methods that name a technique other than the pathfinding.cloud path they link to. */
    private static final Map<String, String> CLOUDSPLAINING_LINK_OVERRIDES = Map.of(
            "PassExistingRoleToNewLambdaThenTriggerWithNewDynamo", "nhigraph-lambda-new-dynamodb-trigger");

    /**
     * Names for PMapper's admin checks, in the order of {@code edge_rules.admin_if_any}: own inline
     * policy, AdministratorAccess on itself, new role with admin, own managed policy, own group.
     */
    private static final List<String> PMAPPER_ADMIN_RULES = List.of(
            "admin: put policy on itself",
            "admin: attach AdministratorAccess to itself",
            "admin: create role with admin policy",
            "admin: new version of own managed policy",
            "admin: change own group's policies");

    /** PMapper edge rules that no technique names, with the reason. */
    private static final Map<String, String> PMAPPER_NOT_COVERED = Map.of(
            "cross-account", "sts-001 covers it: the same AssumeRole technique with both policies evaluated across accounts");

    private static TechniqueCatalog catalog;
    private static JsonNode pathfinding;
    private static JsonNode rhino;
    private static JsonNode cloudsplaining;
    private static JsonNode pmapper;

    @BeforeAll
    static void load() throws IOException {
        catalog = TechniqueCatalog.loadDefault();
        pathfinding = readCorpus("aws/pathfinding-cloud/paths.json");
        rhino = readCorpus("aws/rhino/aws-privesc-methods.json");
        cloudsplaining = readCorpus("aws/cloudsplaining/privesc-methods.json");
        pmapper = readCorpus("aws/pmapper/test-cases.json");
    }

    private static JsonNode readCorpus(String relative) throws IOException {
        Path directory = CORPUS.toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            fail("Source corpus not found at " + directory + "; these tests compare the catalogue with it,"
                    + " so run them from the project directory");
        }
        Path file = directory.resolve(relative);
        if (!Files.isRegularFile(file)) {
            fail("Corpus file " + file + " not found");
        }
        return JSON.readTree(file.toFile());
    }

    @Test
    void bundledCatalogueCounts() {
        Map<Category, Integer> counts = new EnumMap<>(Category.class);
        for (Technique technique : catalog.all()) {
            counts.merge(technique.category(), 1, Integer::sum);
        }

        assertEquals(CATEGORY_COUNTS, counts);
        assertEquals(75, catalog.size());
    }

    @Test
    void findById() {
        assertEquals("iam:PutRolePolicy", catalog.find("iam-005").orElseThrow().permissions().get(0).action());
        assertTrue(catalog.find("iam-999").isEmpty());
    }

    @Test
    void idsAreUnique() throws IOException {
        // Read the raw file, so that this does not depend on the loader's own duplicate check.
        JsonNode root;
        try (InputStream in = TechniqueCatalog.class.getResourceAsStream(TechniqueCatalog.DEFAULT_RESOURCE)) {
            assertNotNull(in, "bundled resource " + TechniqueCatalog.DEFAULT_RESOURCE);
            root = JSON.readTree(in);
        }
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (JsonNode entry : root.get("techniques")) {
            String id = entry.get("id").asText();
            if (!seen.add(id)) {
                duplicates.add(id);
            }
        }

        assertEquals(List.of(), duplicates);
        assertEquals(catalog.size(), seen.size());
    }

    @Test
    void everyActionInActionCatalogue() {
        ActionCatalog actions = ActionCatalog.loadDefault();
        List<String> missing = new ArrayList<>();
        for (Technique technique : catalog.all()) {
            for (Permission permission : technique.permissions()) {
                if (actions.find(permission.action()).isEmpty()) {
                    missing.add(technique.id() + ": " + permission.action());
                }
            }
            for (String action : technique.targetRequires().allows()) {
                if (actions.find(action).isEmpty()) {
                    missing.add(technique.id() + " (targetRequires.allows): " + action);
                }
            }
        }

        assertEquals(List.of(), missing);
    }

    @Test
    void everyPathfindingPathHasTechnique() {
        List<String> ids = pathfindingIds();
        assertEquals(PATHFINDING_SNAPSHOT_PATHS, ids.size(), "paths in the pathfinding.cloud snapshot");

        List<String> missing = ids.stream().filter(id -> catalog.find(id).isEmpty()).toList();
        assertEquals(List.of(), missing);
    }

    @Test
    void pathfindingPermissionsMatch() {
        List<String> mismatches = new ArrayList<>();
        for (JsonNode path : pathfinding.get("paths")) {
            Set<String> expected = new TreeSet<>();
            for (JsonNode required : path.get("required_permissions")) {
                expected.add(required.get("permission").asText());
            }
            String id = path.get("id").asText();
            Optional<Technique> technique = catalog.find(id);
            if (technique.isEmpty()) {
                mismatches.add(id + ": no technique");
                continue;
            }
            Set<String> actual = new TreeSet<>(actionsOf(technique.get()));
            if (!expected.equals(actual)) {
                mismatches.add(id + ": expected " + expected + ", found " + actual);
            }
        }

        assertEquals(List.of(), mismatches);
    }

    @Test
    void pathfindingCategoriesMatch() {
        List<String> mismatches = new ArrayList<>();
        for (JsonNode path : pathfinding.get("paths")) {
            String id = path.get("id").asText();
            String expected = path.get("category").asText();
            Optional<Technique> technique = catalog.find(id);
            if (technique.isEmpty()) {
                mismatches.add(id + ": no technique");
                continue;
            }
            String actual = technique.get().category().label();
            if (!expected.equals(actual) && !CATEGORY_OVERRIDES.containsKey(id)) {
                mismatches.add(id + ": expected " + expected + ", found " + actual);
            }
            if (expected.equals(actual) && CATEGORY_OVERRIDES.containsKey(id)) {
                mismatches.add(id + ": listed as an override but matches pathfinding.cloud");
            }
        }

        assertEquals(List.of(), mismatches);
    }

    @Test
    void everyRhinoMethodCovered() {
        Map<String, Set<String>> methods = rhinoMethods();
        assertEquals(28, methods.size(), "methods in the Rhino list");
        assertTrue(methods.keySet().containsAll(RHINO_NOT_COVERED.keySet()), "exceptions name real Rhino methods");

        List<String> problems = new ArrayList<>();
        for (String method : methods.keySet()) {
            boolean named = !techniquesNaming("rhino", method).isEmpty();
            if (!named && !RHINO_NOT_COVERED.containsKey(method)) {
                problems.add("no technique names \"" + method + "\"");
            }
            if (named && RHINO_NOT_COVERED.containsKey(method)) {
                problems.add("\"" + method + "\" is listed as not covered but a technique names it");
            }
        }

        assertEquals(List.of(), problems);
    }

    @Test
    void rhinoPermissionsMatch() {
        List<String> problems = permissionDifferences("rhino", rhinoMethods(), RHINO_PERMISSION_DIFFERENCES, "");

        assertEquals(List.of(), problems);
    }

    @Test
    void everyCloudsplainingMethodCovered() {
        Map<String, Set<String>> current = cloudsplainingMethods("methods_current");
        Map<String, Set<String>> changed = changedIn2020();
        assertEquals(59, current.size(), "methods in current cloudsplaining");
        assertEquals(Set.of("AttachRolePolicy", "PutRolePolicy", "UpdateRolePolicyToAssumeIt"), changed.keySet(),
                "2020 methods that differ from current ones");

        List<String> uncovered = new ArrayList<>();
        for (String method : current.keySet()) {
            if (techniquesNaming("cloudsplaining", method).isEmpty()) {
                uncovered.add(method);
            }
        }
        for (String method : changed.keySet()) {
            if (techniquesNaming("cloudsplaining-2020", method).isEmpty()) {
                uncovered.add("2020 " + method);
            }
        }

        assertEquals(List.of(), uncovered);
    }

    @Test
    void cloudsplainingPermissionsMatch() {
        List<String> problems = new ArrayList<>();
        problems.addAll(permissionDifferences("cloudsplaining", cloudsplainingMethods("methods_current"),
                CLOUDSPLAINING_PERMISSION_DIFFERENCES, ""));
        problems.addAll(permissionDifferences("cloudsplaining-2020", changedIn2020(),
                CLOUDSPLAINING_PERMISSION_DIFFERENCES, "cloudsplaining-2020 "));

        assertEquals(List.of(), problems);
    }

    @Test
    void cloudsplainingPathfindingLinksAgree() {
        List<String> mismatches = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> links = cloudsplaining.get("pathfinding_links_current").fields();
        while (links.hasNext()) {
            Map.Entry<String, JsonNode> link = links.next();
            if (link.getValue().isNull()) {
                continue;
            }
            String url = link.getValue().asText();
            String expected = CLOUDSPLAINING_LINK_OVERRIDES.getOrDefault(link.getKey(),
                    url.substring(url.lastIndexOf('/') + 1));
            List<String> naming = techniquesNaming("cloudsplaining", link.getKey());
            if (!naming.equals(List.of(expected))) {
                mismatches.add(link.getKey() + ": expected " + expected + ", named by " + naming);
            }
        }

        assertEquals(List.of(), mismatches);
    }

    @Test
    void everyPmapperRuleCovered() {
        JsonNode rules = pmapper.get("edge_rules");
        assertEquals(PMAPPER_ADMIN_RULES.size(), rules.get("admin_if_any").size(), "PMapper admin checks");

        List<String> uncovered = new ArrayList<>();
        for (String rule : pmapperRuleNames()) {
            boolean named = !techniquesNaming("pmapper", rule).isEmpty();
            if (!named && !PMAPPER_NOT_COVERED.containsKey(rule)) {
                uncovered.add(rule);
            }
        }

        assertEquals(List.of(), uncovered);
    }

    @Test
    void sourcesNameKnownEntries() {
        Set<String> pathfindingIds = new HashSet<>(pathfindingIds());
        pathfindingIds.addAll(LATER_PATHFINDING_IDS.keySet());
        Map<String, Set<String>> known = Map.of(
                "pathfinding.cloud", pathfindingIds,
                "rhino", rhinoMethods().keySet(),
                "cloudsplaining", cloudsplainingMethods("methods_current").keySet(),
                "cloudsplaining-2020", cloudsplainingMethods("methods_2020").keySet(),
                "pmapper", pmapperRuleNames());

        List<String> unknown = new ArrayList<>();
        for (Technique technique : catalog.all()) {
            technique.sources().forEach((source, name) -> {
                if (!known.get(source).contains(name)) {
                    unknown.add(technique.id() + ": " + source + " has no entry \"" + name + "\"");
                }
            });
        }

        assertEquals(List.of(), unknown);
    }

    /**
     * Lists the source methods for which no naming technique requires exactly the same actions,
     * unless {@code differences} explains it under {@code keyPrefix + method}.
     */
    private static List<String> permissionDifferences(String source, Map<String, Set<String>> methods,
            Map<String, String> differences, String keyPrefix) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Set<String>> method : methods.entrySet()) {
            List<String> naming = techniquesNaming(source, method.getKey());
            if (naming.isEmpty()) {
                continue;
            }
            boolean exact = naming.stream()
                    .map(id -> lowerCase(actionsOf(catalog.find(id).orElseThrow())))
                    .anyMatch(method.getValue()::equals);
            boolean explained = differences.containsKey(keyPrefix + method.getKey());
            if (!exact && !explained) {
                problems.add(source + " " + method.getKey() + " needs " + method.getValue() + " but " + naming
                        + " differ");
            }
            if (exact && explained) {
                problems.add(source + " " + method.getKey() + " is listed as a difference but " + naming + " match");
            }
        }
        return problems;
    }

    private static List<String> pathfindingIds() {
        List<String> ids = new ArrayList<>();
        for (JsonNode path : pathfinding.get("paths")) {
            ids.add(path.get("id").asText());
        }
        return ids;
    }

    /** Rhino method name to its required actions, in lower case. */
    private static Map<String, Set<String>> rhinoMethods() {
        Map<String, Set<String>> methods = new LinkedHashMap<>();
        for (JsonNode method : rhino.get("methods")) {
            Set<String> actions = new TreeSet<>();
            method.get("required_permissions").forEach(action -> actions.add(action.asText().toLowerCase(Locale.ROOT)));
            methods.put(method.get("name").asText(), actions);
        }
        return methods;
    }

    /** cloudsplaining method name to its actions, which the source already gives in lower case. */
    private static Map<String, Set<String>> cloudsplainingMethods(String field) {
        Map<String, Set<String>> methods = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> entries = cloudsplaining.get(field).fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            Set<String> actions = new TreeSet<>();
            entry.getValue().forEach(action -> actions.add(action.asText()));
            methods.put(entry.getKey(), actions);
        }
        return methods;
    }

    /** Returns the 2020 methods that current cloudsplaining lacks or defines with other actions. */
    private static Map<String, Set<String>> changedIn2020() {
        Map<String, Set<String>> current = cloudsplainingMethods("methods_current");
        Map<String, Set<String>> changed = new LinkedHashMap<>(cloudsplainingMethods("methods_2020"));
        changed.entrySet().removeIf(method -> method.getValue().equals(current.get(method.getKey())));
        return changed;
    }

    private static Set<String> pmapperRuleNames() {
        Set<String> names = new TreeSet<>(PMAPPER_ADMIN_RULES);
        pmapper.get("edge_rules").get("edges").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> techniquesNaming(String source, String name) {
        return catalog.all().stream()
                .filter(technique -> name.equals(technique.sources().get(source)))
                .map(Technique::id)
                .toList();
    }

    private static List<String> actionsOf(Technique technique) {
        return technique.permissions().stream().map(Permission::action).toList();
    }

    private static Set<String> lowerCase(List<String> actions) {
        return actions.stream().map(action -> action.toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
    }
}
