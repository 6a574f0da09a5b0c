package dev.nhigraph.gcp.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Checks that collectors/gcp/collector-role.yaml grants exactly the permissions of the calls in {@link GcpCall}. */
class CollectorRoleTest {

    static final Path ROLE = Path.of("collectors/gcp/collector-role.yaml");

    static Set<String> grantedPermissions() throws IOException {
        JsonNode role = new ObjectMapper(new YAMLFactory()).readTree(ROLE.toFile());
        Set<String> granted = new TreeSet<>();
        role.path("includedPermissions").forEach(permission -> granted.add(permission.asText()));
        return granted;
    }

    @Test
    void role_grantsExactlyTheCallsPermissions() throws IOException {
        Set<String> needed = Arrays.stream(GcpCall.values()).map(GcpCall::permission)
                .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(needed, grantedPermissions());
    }

    @Test
    void role_isGeneralAvailabilityWithTitle() throws IOException {
        JsonNode role = new ObjectMapper(new YAMLFactory()).readTree(ROLE.toFile());

        assertEquals("GA", role.path("stage").asText());
        assertTrue(role.path("title").asText().contains("nhigraph"));
    }
}
