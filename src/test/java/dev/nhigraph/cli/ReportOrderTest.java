package dev.nhigraph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.testsupport.SharedGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan and the findings report of the sample export, and of the same export with every list reversed, which
 * makes Neo4j store and return the principals and their steps in another order. Where several principals or paths
 * are equally near, both reports must name the same one.
 */
class ReportOrderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static JsonNode scanInOrder;
    private static JsonNode scanReversed;
    private static JsonNode reportInOrder;
    private static JsonNode reportReversed;

    @BeforeAll
    static void scanAndReportBothOrders() throws IOException {
        Path reversed = dir.resolve("reversed.json");
        ObjectNode export = (ObjectNode) JSON.readTree(SharedGraph.SAMPLE.toFile());
        List<String> lists = new ArrayList<>();
        export.fieldNames().forEachRemaining(lists::add);
        for (String list : lists) {
            ArrayNode backwards = JSON.createArrayNode();
            export.get(list).forEach(item -> backwards.insert(0, item));
            export.set(list, backwards);
        }
        JSON.writeValue(reversed.toFile(), export);

        scanInOrder = scanAndReport(SharedGraph.SAMPLE, "in-order");
        reportInOrder = JSON.readTree(dir.resolve("in-order/report/report.json").toFile());
        scanReversed = scanAndReport(reversed, "reversed");
        reportReversed = JSON.readTree(dir.resolve("reversed/report/report.json").toFile());
    }

    /** Loads {@code export} into the emptied shared graph with {@code scan}, then reports on it in one shot. */
    private static JsonNode scanAndReport(Path export, String name) throws IOException {
        SharedGraph.reset();
        Path out = dir.resolve(name);
        CommandRun scan = CommandRun.of("scan", export.toString(), "--neo4j-uri", SharedGraph.boltUri(),
                "--neo4j-password-file", SharedGraph.passwordFile(), "--out", out.resolve("scan").toString());
        assertEquals(0, scan.exitCode(), scan.err());

        // The report runs in one shot, in a database of its own, where the reversed export gets other node ids.
        CommandRun report = CommandRun.of("report", export.toString(), "--out", out.resolve("report").toString(),
                "--as-of", "2026-12-01");
        assertEquals(0, report.exitCode(), report.err());
        return JSON.readTree(out.resolve("scan/report.json").toFile());
    }

    @Test
    void scan_principalsSameInBothOrders() {
        assertEquals(127, scanInOrder.get("principals").size());
        assertEquals(scanInOrder.get("principals"), scanReversed.get("principals"));
    }

    @Test
    void report_findingsSameInBothOrders() {
        assertEquals(reportInOrder.get("findings").size(), reportReversed.get("findings").size());
        for (int i = 0; i < reportInOrder.get("findings").size(); i++) {
            assertEquals(reportInOrder.get("findings").get(i), reportReversed.get("findings").get(i));
        }
    }

    @Test
    void report_causesSameInBothOrders() {
        assertEquals(reportInOrder.get("causes"), reportReversed.get("causes"));
    }
}
