package dev.nhigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.testsupport.AnalystSample;
import dev.nhigraph.testsupport.SharedGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's made-up credential reports, key listings and workloads, loaded with the bundled sample. */
class SampleKeysTest {

    @Test
    void demoExtras_matchTestSample() {
        List<String> demo = DemoCommand.SAMPLE_EXTRAS.stream().map(resource -> "src/main/resources/" + resource).toList();

        assertEquals(demo, AnalystSample.SAMPLE_EXTRAS.stream().map(Path::toString).toList());
    }

    @Test
    void sampleKey_namesKeyAndAdminEquivalent() {
        List<Path> files = new ArrayList<>(List.of(SharedGraph.SAMPLE));
        files.addAll(AnalystSample.SAMPLE_EXTRAS);
        SharedGraph.resetAndLoad(files.toArray(Path[]::new));

        CommandRun run = CommandRun.of("blast-radius", DemoCommand.SAMPLE_KEY, "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("Key " + DemoCommand.SAMPLE_KEY + " of user arn:aws:iam::200611803367:user/"
                + "privesc1-CreateNewPolicyVersion-user, status Active, last used 2023-03-19T16:02:00Z with iam in us-east-1."),
                run.out());
        assertTrue(run.out().contains("ADMIN-EQUIVALENT"), run.out());
        assertTrue(run.out().contains("once it escalates, every action on every resource"), run.out());
    }

    @Test
    void depthOption_isAcceptedAsMaxDepth() {
        CommandRun run = CommandRun.of("blast-radius", DemoCommand.SAMPLE_KEY, "--depth", "1", "--neo4j-uri",
                SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("within 1 step"), run.out());
    }

    @Test
    void sampleKey_pathsAndCanNameKey() {
        List<Path> files = new ArrayList<>(List.of(SharedGraph.SAMPLE));
        files.addAll(AnalystSample.SAMPLE_EXTRAS);
        SharedGraph.resetAndLoad(files.toArray(Path[]::new));

        CommandRun paths = CommandRun.of("paths", "--from", DemoCommand.SAMPLE_KEY, "--to", "admin", "--json",
                "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());
        CommandRun can = CommandRun.of("can", DemoCommand.SAMPLE_KEY, "iam:CreatePolicyVersion", "*",
                "--neo4j-uri", SharedGraph.boltUri(), "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(0, paths.exitCode(), paths.err());
        assertTrue(paths.out().contains("\"credential\" : {"), paths.out());
        assertTrue(paths.out().contains("\"keyId\" : \"" + DemoCommand.SAMPLE_KEY + "\""), paths.out());
        assertEquals(0, can.exitCode(), can.err());
        assertTrue(can.out().startsWith("Key " + DemoCommand.SAMPLE_KEY + " of user "), can.out());
    }
}
