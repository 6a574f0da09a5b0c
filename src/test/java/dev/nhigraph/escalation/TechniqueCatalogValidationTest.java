package dev.nhigraph.escalation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.escalation.Technique.Category;
import dev.nhigraph.escalation.Technique.Outcome;
import dev.nhigraph.escalation.Technique.Target;
import dev.nhigraph.policy.ActionCatalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks that the loader rejects invalid entries with messages that name the technique. */
class TechniqueCatalogValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ActionCatalog ACTIONS = ActionCatalog.loadDefault();

    /** Builds a valid role-target technique, which each case below breaks in one way. */
    private static ObjectNode validTechnique() {
        ObjectNode technique = JSON.createObjectNode();
        technique.put("id", "lambda-001");
        technique.put("name", "Pass a role to a new Lambda function and invoke it");
        technique.put("category", "new-passrole");
        technique.put("target", "role");
        ArrayNode permissions = technique.putArray("permissions");
        permissions.addObject().put("action", "iam:PassRole").put("resource", "target");
        permissions.addObject().put("action", "lambda:CreateFunction")
                .put("resource", "arn:aws:lambda:*:{account}:function:*");
        technique.putObject("targetRequires").put("kind", "AwsRole").put("trustsService", "lambda.amazonaws.com");
        technique.put("outcome", "becomes-target");
        technique.putObject("sources").put("pathfinding.cloud", "lambda-001");
        technique.put("note", "Runs the caller's code with the role.");
        return technique;
    }

    private static TechniqueCatalog read(ObjectNode... techniques) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("techniques");
        for (ObjectNode technique : techniques) {
            list.add(technique);
        }
        return readText(JSON.writeValueAsString(root));
    }

    private static TechniqueCatalog readText(String json) throws IOException {
        return TechniqueCatalog.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), ACTIONS);
    }

    @Test
    void validEntryLoads() throws IOException {
        Technique technique = read(validTechnique()).find("lambda-001").orElseThrow();

        assertEquals(Category.NEW_PASSROLE, technique.category());
        assertEquals(Target.ROLE, technique.target());
        assertEquals(Outcome.BECOMES_TARGET, technique.outcome());
        assertEquals("lambda.amazonaws.com", technique.targetRequires().trustsService());
        assertEquals(2, technique.permissions().size());
    }

    static Stream<Arguments> invalidEntries() {
        return Stream.of(
                invalid("unknown category", t -> t.put("category", "lateral"),
                        "technique lambda-001: unknown category \"lateral\""),
                invalid("unknown target", t -> t.put("target", "instance"),
                        "technique lambda-001: unknown target \"instance\""),
                invalid("unknown outcome", t -> t.put("outcome", "root"),
                        "technique lambda-001: unknown outcome \"root\""),
                invalid("action not in catalogue", t -> permission(t, 1).put("action", "lambda:CreateFunktion"),
                        "technique lambda-001: permissions[1]: action lambda:CreateFunktion is not in the action catalogue"),
                invalid("action in wrong case", t -> permission(t, 0).put("action", "iam:passrole"),
                        "permissions[0]: action iam:passrole is spelled iam:PassRole"),
                invalid("unknown field", t -> t.put("severity", "high"),
                        "technique lambda-001: unknown field \"severity\""),
                invalid("unknown requirement", t -> ((ObjectNode) t.get("targetRequires")).put("tagged", true),
                        "targetRequires: unknown field \"tagged\""),
                invalid("kind does not fit target", t -> ((ObjectNode) t.get("targetRequires")).put("kind", "AwsUser"),
                        "targetRequires.kind must be AwsRole for target role, found AwsUser"),
                invalid("requirement for another target", t -> ((ObjectNode) t.get("targetRequires"))
                        .put("accessKeysBelow", 2), "targetRequires.accessKeysBelow applies only to a user target"),
                invalid("unknown placeholder", t -> permission(t, 1)
                        .put("resource", "arn:aws:lambda:*:{acount}:function:*"), "unknown placeholder {acount}"),
                invalid("resource neither reference nor ARN", t -> permission(t, 1).put("resource", "function"),
                        "invalid resource \"function\""),
                invalid("pathfinding id differs", t -> ((ObjectNode) t.get("sources"))
                        .put("pathfinding.cloud", "lambda-002"), "id must be the pathfinding.cloud id lambda-002"),
                invalid("unknown source", t -> ((ObjectNode) t.get("sources")).put("hacktricks", "x"),
                        "unknown source \"hacktricks\""),
                invalid("no permissions", t -> t.putArray("permissions"), "missing permissions"),
                invalid("missing note", t -> t.remove("note"), "technique lambda-001: missing note"),
                invalid("passrole category on a user", t -> {
                    t.put("target", "user");
                    ((ObjectNode) t.get("targetRequires")).removeAll().put("kind", "AwsUser");
                }, "category new-passrole needs target role, found user"),
                invalid("target resource on self", t -> {
                    t.put("target", "self").put("category", "self-escalation").put("outcome", "admin");
                    t.remove("targetRequires");
                }, "resource \"target\" needs a target other than self or none"),
                invalid("missing id", t -> t.remove("id"), "technique at index 0 (no id): missing id"));
    }

    private static Arguments invalid(String label, Consumer<ObjectNode> breakIt, String expected) {
        return Arguments.of(label, breakIt, expected);
    }

    private static ObjectNode permission(ObjectNode technique, int index) {
        return (ObjectNode) technique.get("permissions").get(index);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEntries")
    void invalidEntryRejected(String label, Consumer<ObjectNode> breakIt, String expected) {
        ObjectNode technique = validTechnique();
        breakIt.accept(technique);

        IOException error = assertThrows(IOException.class, () -> read(technique));
        assertTrue(error.getMessage().contains(expected),
                () -> "expected the message to contain [" + expected + "] but it was: " + error.getMessage());
    }

    @Test
    void duplicateIdRejected() {
        IOException error = assertThrows(IOException.class, () -> read(validTechnique(), validTechnique()));

        assertTrue(error.getMessage().contains("technique lambda-001: duplicate id \"lambda-001\""), error.getMessage());
    }

    @Test
    void everyProblemListed() {
        ObjectNode first = validTechnique();
        first.put("outcome", "root");
        ObjectNode second = validTechnique();
        second.put("id", "nhigraph-second");
        second.remove("sources");
        permission(second, 0).put("action", "iam:PassRoles");

        IOException error = assertThrows(IOException.class, () -> read(first, second));

        assertTrue(error.getMessage().startsWith("2 problem(s)"), error.getMessage());
        assertTrue(error.getMessage().contains("technique lambda-001: unknown outcome"), error.getMessage());
        assertTrue(error.getMessage().contains("technique nhigraph-second: permissions[0]: action iam:PassRoles"),
                error.getMessage());
    }

    @Test
    void duplicateJsonKeyRejected() {
        String json = "{\"techniques\": [{\"id\": \"a-001\", \"id\": \"b-001\"}]}";

        IOException error = assertThrows(IOException.class, () -> readText(json));
        assertTrue(error.getMessage().contains("Duplicate field 'id'"), error.getMessage());
    }

    @Test
    void missingTechniquesArrayRejected() {
        IOException error = assertThrows(IOException.class, () -> readText("{\"paths\": []}"));

        assertTrue(error.getMessage().contains("\"techniques\" array"), error.getMessage());
    }

    @Test
    void notJsonRejected() {
        IOException error = assertThrows(IOException.class, () -> readText("techniques:"));

        assertTrue(error.getMessage().startsWith("Escalation technique catalogue is not valid JSON"), error.getMessage());
    }
}
