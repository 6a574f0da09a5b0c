package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.testsupport.SharedGraph;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A newer export of an account that no longer has a role: the load deletes the role, and diff says so. */
class DeletedPrincipalLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DELETED = "arn:aws:iam::200611803367:role/privesc-permissive-role-trust";

    @TempDir
    Path dir;

    @Test
    void roleMissingFromNewerExport_isDeletedAndDiffed() throws Exception {
        ObjectNode export = (ObjectNode) JSON.readTree(SharedGraph.SAMPLE.toFile());
        ArrayNode roles = (ArrayNode) export.get("RoleDetailList");
        for (int i = 0; i < roles.size(); i++) {
            if (DELETED.equals(roles.get(i).get("Arn").asText())) {
                roles.remove(i);
                break;
            }
        }
        Path newer = dir.resolve("newer.json");
        JSON.writeValue(newer.toFile(), export);

        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        long before = SharedGraph.count("MATCH (r:AwsRole {id: $id}) RETURN count(r) AS c", "id", DELETED);
        new LoadService(SharedGraph.store()).load(List.of(newer), stage -> { });
        long after = SharedGraph.count("MATCH (r:AwsRole {id: $id}) RETURN count(r) AS c", "id", DELETED);
        long inline = SharedGraph.count("MATCH (p:AwsPolicy) WHERE p.id STARTS WITH $id + '#inline/' RETURN count(p) AS c", "id", DELETED);
        SnapshotDiff.Diff diff = SnapshotDiff.between(SharedGraph.store(), null, null, 50);

        assertEquals(1, before);
        assertEquals(0, after, "the deleted role stayed in the graph");
        assertEquals(0, inline, "the deleted role's inline policies stayed");
        assertTrue(diff.parts().get("principals").removedItems().contains(DELETED), diff.parts().get("principals").toString());
        assertEquals(0, diff.parts().get("principals").added());
        JsonNode other = export.get("RoleDetailList").get(0);
        assertEquals(1, SharedGraph.count("MATCH (r:AwsRole {id: $id}) RETURN count(r) AS c", "id", other.get("Arn").asText()),
                "a role still in the export was deleted");
    }
}
