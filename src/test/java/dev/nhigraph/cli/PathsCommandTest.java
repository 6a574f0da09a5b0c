package dev.nhigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nhigraph.escalation.TechniqueCatalog;
import dev.nhigraph.gcp.analysis.GcpTechniqueCatalog;
import org.junit.jupiter.api.Test;

class PathsCommandTest {

    @Test
    void techniqueNameOfGcpId() {
        assertEquals(GcpTechniqueCatalog.loadDefault().find("gcp-001").orElseThrow().name(), PathsCommand.techniqueName("gcp-001"));
    }

    @Test
    void techniqueNameOfAwsId() {
        String id = TechniqueCatalog.loadDefault().all().get(0).id();

        assertEquals(TechniqueCatalog.loadDefault().find(id).orElseThrow().name(), PathsCommand.techniqueName(id));
    }

    @Test
    void techniqueNameOfUnknownOrNone() {
        assertNull(PathsCommand.techniqueName("gcp-999"));
        assertNull(PathsCommand.techniqueName("no-such-technique"));
        assertNull(PathsCommand.techniqueName(null));
    }
}
