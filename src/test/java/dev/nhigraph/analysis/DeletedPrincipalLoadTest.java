package dev.nhigraph.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.cli.CommandRun;
import dev.nhigraph.testsupport.SharedGraph;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newer export of an account that no longer lists a role: the load deletes the role and diff lists it as removed.
 * The role stays when the export cannot show that it is gone (a list left out, a truncated page), or when the load
 * keeps missing principals.
 */
class DeletedPrincipalLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DELETED = "arn:aws:iam::200611803367:role/privesc-permissive-role-trust";
    private static final String KEPT_ROLE_QUERY = "MATCH (r:AwsRole {id: $id}) RETURN count(r) AS c";

    @TempDir
    Path dir;

    private ObjectNode newer;

    @BeforeEach
    void loadSampleAndDropOneRole() throws Exception {
        SharedGraph.resetAndLoad(SharedGraph.SAMPLE);
        assertEquals(1, SharedGraph.count(KEPT_ROLE_QUERY, "id", DELETED), "the sample no longer has the role");
        newer = (ObjectNode) JSON.readTree(SharedGraph.SAMPLE.toFile());
        ArrayNode roles = (ArrayNode) newer.get("RoleDetailList");
        for (int i = 0; i < roles.size(); i++) {
            if (DELETED.equals(roles.get(i).get("Arn").asText())) {
                roles.remove(i);
                break;
            }
        }
    }

    @Test
    void missingRole_isDeleted() throws Exception {
        LoadService.LoadResult result = new LoadService(SharedGraph.store()).load(List.of(write(newer)), stage -> { });

        assertEquals(0, SharedGraph.count(KEPT_ROLE_QUERY, "id", DELETED), "the deleted role stayed in the graph");
        assertEquals(0, SharedGraph.count("MATCH (p:AwsPolicy) WHERE p.id STARTS WITH $id + '#inline/' RETURN count(p) AS c",
                "id", DELETED), "the deleted role's inline policies stayed");
        String other = newer.get("RoleDetailList").get(0).get("Arn").asText();
        assertEquals(1, SharedGraph.count(KEPT_ROLE_QUERY, "id", other), "a role still in the export was deleted");
        String warning = result.warnings().stream().filter(w -> w.contains(DELETED)).findFirst().orElse("");
        assertTrue(warning.contains("Account 200611803367"), "no warning names the deletion: " + result.warnings());
        assertTrue(warning.contains("--keep-missing"), warning);
    }

    @Test
    void missingRole_isRemovedInDiff() throws Exception {
        new LoadService(SharedGraph.store()).load(List.of(write(newer)), stage -> { });

        SnapshotDiff.Diff diff = SnapshotDiff.between(SharedGraph.store(), null, null, 50);

        assertTrue(diff.parts().get("principals").removedItems().contains(DELETED), diff.parts().get("principals").toString());
        assertEquals(0, diff.parts().get("principals").added());
    }

    @Test
    void namedMissingRole_isRemovedInDiff() throws Exception {
        // Other roles' policies still name this one, so the load keeps a placeholder node for it.
        String named = "arn:aws:iam::200611803367:role/privesc-high-priv-service-role";
        ArrayNode roles = (ArrayNode) newer.get("RoleDetailList");
        for (int i = 0; i < roles.size(); i++) {
            if (named.equals(roles.get(i).get("Arn").asText())) {
                roles.remove(i);
                break;
            }
        }
        new LoadService(SharedGraph.store()).load(List.of(write(newer)), stage -> { });

        SnapshotDiff.Diff diff = SnapshotDiff.between(SharedGraph.store(), null, null, 50);

        assertTrue(diff.parts().get("principals").removedItems().contains(named), diff.parts().get("principals").toString());
        assertEquals(0, diff.parts().get("principals").added());
    }

    @Test
    void keepMissingPrincipals_keepsTheRole() throws Exception {
        new LoadService(SharedGraph.store()).keepMissingPrincipals(true).load(List.of(write(newer)), stage -> { });

        assertEquals(1, SharedGraph.count(KEPT_ROLE_QUERY, "id", DELETED));
    }

    @Test
    void loadCommand_keepMissingFlag() throws Exception {
        Path file = write(newer);

        CommandRun kept = CommandRun.of("load", file.toString(), "--keep-missing", "--neo4j-uri", SharedGraph.boltUri(),
                "--neo4j-password-file", SharedGraph.passwordFile());
        long afterKept = SharedGraph.count(KEPT_ROLE_QUERY, "id", DELETED);
        CommandRun replaced = CommandRun.of("load", file.toString(), "--neo4j-uri", SharedGraph.boltUri(),
                "--neo4j-password-file", SharedGraph.passwordFile());

        assertEquals(0, kept.exitCode(), kept.err());
        assertEquals(1, afterKept, "--keep-missing deleted the role");
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertEquals(0, SharedGraph.count(KEPT_ROLE_QUERY, "id", DELETED), "the load without --keep-missing kept the role");
        assertTrue(replaced.err().contains(DELETED) || replaced.out().contains(DELETED),
                "the load did not say what it deleted: " + replaced.out() + replaced.err());
    }

    @Test
    void exportWithoutTheRoleList_keepsEveryRole() throws Exception {
        // `--filter User` gives no RoleDetailList at all, so the export shows nothing about roles.
        newer.remove("RoleDetailList");

        new LoadService(SharedGraph.store()).load(List.of(write(newer)), stage -> { });

        assertEquals(1, SharedGraph.count(KEPT_ROLE_QUERY, "id", DELETED));
        assertTrue(SharedGraph.count("MATCH (r:AwsRole) RETURN count(r) AS c") > 70, "roles were deleted");
    }

    @Test
    void truncatedPage_keepsEveryPrincipalOfItsAccounts() throws Exception {
        newer.put("IsTruncated", true).put("Marker", "next-page");

        new LoadService(SharedGraph.store()).load(List.of(write(newer)), stage -> { });

        assertEquals(1, SharedGraph.count(KEPT_ROLE_QUERY, "id", DELETED));
    }

    @Test
    void exportOfAnotherAccount_keepsThisAccountsPrincipals() throws Exception {
        ObjectNode other = JSON.createObjectNode();
        ObjectNode role = other.putArray("RoleDetailList").addObject();
        role.put("Arn", "arn:aws:iam::999988887777:role/other-account-role").put("RoleName", "other-account-role")
                .put("AssumeRolePolicyDocument", "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D");
        other.putArray("UserDetailList");
        other.putArray("GroupDetailList");

        new LoadService(SharedGraph.store()).load(List.of(write(other)), stage -> { });

        assertEquals(1, SharedGraph.count(KEPT_ROLE_QUERY, "id", DELETED));
        assertEquals(1, SharedGraph.count(KEPT_ROLE_QUERY, "id", "arn:aws:iam::999988887777:role/other-account-role"));
    }

    private Path write(ObjectNode export) throws Exception {
        Path file = dir.resolve("newer-" + System.nanoTime() + ".json");
        JSON.writeValue(file.toFile(), export);
        return file;
    }
}
