package dev.nhigraph.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nhigraph.testsupport.AnalystSample;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that {@code cypher/schema/README.md} documents the graph that the loaders really write. With
 * {@code -Dnhigraph.schema.write=true} it rewrites the file instead of failing on a difference.
 */
class SchemaReadmeTest {

    @TempDir
    Path work;

    @Test
    void readme_matchesLoadedGraph() throws IOException {
        AnalystSample.resetAndLoad(work);
        SchemaReadme readme = new SchemaReadme(SchemaReadme.observe(SharedGraph.store()));

        List<String> undescribed = readme.undescribed();
        String text = readme.render();
        if (Boolean.getBoolean("nhigraph.schema.write") && undescribed.isEmpty()) {
            Files.writeString(SchemaReadme.README, text, StandardCharsets.UTF_8);
        }

        assertEquals(List.of(), undescribed, "the graph holds items that " + SchemaReadme.DESCRIPTIONS + " does not describe;"
                + " add a line for each");
        assertEquals(text, Files.readString(SchemaReadme.README, StandardCharsets.UTF_8), SchemaReadme.README
                + " is out of date; regenerate it with mvn -o -q test -Dtest=SchemaReadmeTest -Dnhigraph.schema.write=true");
    }
}
