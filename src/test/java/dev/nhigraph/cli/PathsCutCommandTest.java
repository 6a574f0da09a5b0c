package dev.nhigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.testsupport.SharedGraph;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code paths --from ID --cut} on the bundled sample with its access keys, through the embedded database's Bolt URI. */
class PathsCutCommandTest {

    private static final String STARTING_ROLE = "arn:aws:iam::200611803367:role/privesc-AssumeRole-starting-role";

    @BeforeAll
    static void load() {
        SharedGraph.resetAndLoad(Path.of("src/main/resources/samples"));
    }

    @Test
    void leakedKey_text_namesKeyAndOwnRights() {
        CommandRun run = CommandRun.of("paths", "--from", "AKIASAMPLEPOLICYVER1", "--cut", "--neo4j-uri", SharedGraph.boltUri(),
                "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("Key AKIASAMPLEPOLICYVER1 of user"), run.out());
        assertTrue(run.out().contains("it is an administrator itself"), run.out());
        assertTrue(run.out().contains("AKIASAMPLEPOLICYVER1 (the leaked key)  Active"), run.out());
        assertTrue(run.out().contains("policy/privesc1-CreateNewPolicyVersion statement 0"), run.out());
    }

    @Test
    void roleChain_json_listsOneAssumeStep() throws Exception {
        CommandRun run = CommandRun.of("paths", "--from", STARTING_ROLE, "--cut", "--json", "--neo4j-uri", SharedGraph.boltUri(),
                "--neo4j-password-file", SharedGraph.passwordFile());
        JsonNode plan = new ObjectMapper().readTree(run.out());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1, plan.get("cut").size(), plan.toString());
        assertEquals("CAN_ASSUME", plan.at("/cut/0/kind").asText());
        assertTrue(plan.at("/check/cutVerified").asBoolean());
    }

    @Test
    void cutWithoutFrom_isBadUsage() {
        CommandRun run = CommandRun.of("paths", "--cut", "--neo4j-uri", SharedGraph.boltUri(),
                "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode());
        assertTrue(run.err().contains("--cut needs --from"), run.err());
    }
}
