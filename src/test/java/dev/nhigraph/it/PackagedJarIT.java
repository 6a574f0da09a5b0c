package dev.nhigraph.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs target/nhigraph.jar as a user would, in its own JVM: scan, bad input, and the demo server.
 * Failsafe runs it after {@code package}, so it tests the jar that the README's commands run.
 */
class PackagedJarIT {

    private static final Path JAR = Path.of("target/nhigraph.jar");
    private static final Path SAMPLE = Path.of("src/main/resources/samples/iam-vulnerable-authorization-details.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void scan_reportsEveryPrincipal() throws Exception {
        Path out = dir.resolve("report");

        Result result = run("scan", SAMPLE.toString(), "--out", out.toString());

        assertEquals(0, result.exit, result.stderr);
        assertTrue(result.stdout.contains("Loaded 1 file"), result.stdout);
        JsonNode file = JSON.readTree(SAMPLE.toFile());
        int principals = file.get("UserDetailList").size() + file.get("RoleDetailList").size() + file.get("GroupDetailList").size();
        JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
        assertEquals(principals, report.get("principals").size());
        JsonNode entry = report.get("principals").get(0);
        for (String field : List.of("id", "kind", "account", "canAssume", "blastRadius")) {
            assertTrue(entry.has(field), "report entry lacks " + field + ": " + entry);
        }
        assertTrue(entry.get("blastRadius").has("principals"));
        assertTrue(entry.get("blastRadius").has("actionsByAccessLevel"));
        assertEquals(file.get("UserDetailList").size(), report.get("snapshot").get("users").asInt());

        // Every principal states whether it reaches admin, and one that does has its shortest path with evidence.
        for (JsonNode principal : report.get("principals")) {
            assertTrue(List.of("YES", "NO", "CONDITIONAL").contains(principal.path("reachesAdmin").asText()), principal.toString());
        }
        JsonNode lambdaUser = null;
        for (JsonNode principal : report.get("principals")) {
            if (principal.get("id").asText().endsWith("user/privesc15-PassExistingRoleToNewLambdaThenInvoke-user")) {
                lambdaUser = principal;
            }
        }
        assertEquals("YES", lambdaUser.get("reachesAdmin").asText());
        JsonNode step = lambdaUser.get("adminPath").get("steps").get(0);
        assertEquals("CAN_ESCALATE", step.get("kind").asText());
        assertTrue(step.get("evidence").size() > 0, step.toString());
    }

    @Test
    void load_nonJsonExitsTwo() throws Exception {
        Path bad = dir.resolve("not-json.json");
        Files.writeString(bad, "this is not JSON");

        Result result = run("load", bad.toString(), "--data-dir", dir.resolve("db").toString(), "--bolt-port", String.valueOf(freePort()));

        assertEquals(2, result.exit);
        assertTrue(result.stderr.contains(bad.toString()), result.stderr);
        assertEquals("", result.stdout);
    }

    @Test
    void neo4jUserWithoutPassword_exitsTwo() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("java", "-jar", JAR.toAbsolutePath().toString(), "query", "RETURN 1",
                "--neo4j-uri", "bolt://127.0.0.1:1").redirectErrorStream(true);
        builder.environment().put("NEO4J_USER", "analyst");
        builder.environment().remove("NEO4J_PASSWORD");
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "nhigraph query did not finish in 120 s");
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("NEO4J_USER is set but NEO4J_PASSWORD is not"), output);
    }

    @Test
    void generate_nextStepRunsThisJar() throws Exception {
        Path out = dir.resolve("organisation");

        Result inProject = run("generate", "--tier", "S", "--out", out.toString());
        Result elsewhere = runIn(dir, "query", "RETURN 1", "--data-dir", dir.resolve("no-graph").toString());

        assertEquals(0, inProject.exit, inProject.stderr);
        assertTrue(inProject.stdout.contains("Load it with: java -jar target/nhigraph.jar load " + out.resolve("bundle")),
                inProject.stdout);
        assertTrue(inProject.stdout.contains("; GCP: 10 paths, 5 decoys"), inProject.stdout);
        assertEquals(2, elsewhere.exit, elsewhere.stderr);
        assertTrue(elsewhere.stderr.contains("`java -jar " + JAR.toAbsolutePath().normalize() + " load PATH"), elsewhere.stderr);
    }

    @Test
    void sigintDuringLoad_nextCommandRestoresPreviousSnapshot() throws Exception {
        Path dataDir = dir.resolve("graph");
        String bolt = String.valueOf(freePort());
        Process load = new ProcessBuilder("java", "-jar", JAR.toAbsolutePath().toString(), "load", "--verbose",
                SAMPLE.toAbsolutePath().toString(), "--data-dir", dataDir.toString(), "--bolt-port", bolt).start();
        load.getOutputStream().close();
        BufferedReader stderr = new BufferedReader(new InputStreamReader(load.getErrorStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        // The stage line is logged once the transaction that stores the files has committed.
        for (String line; (line = stderr.readLine()) != null && !line.contains("LoadService - Stage write"); ) {
            lines.add(line);
        }
        // A child of a process that ignores SIGINT ignores it too, and the JVM then leaves it ignored; SIGTERM
        // runs the same shutdown hooks, with exit code 143.
        boolean sigintIgnored = signalIgnored(load.pid(), 2);
        new ProcessBuilder("kill", sigintIgnored ? "-TERM" : "-INT", String.valueOf(load.pid())).start().waitFor();
        for (String line; (line = stderr.readLine()) != null; ) {
            lines.add(line);
        }
        assertTrue(load.waitFor(60, TimeUnit.SECONDS), "the load did not stop within 60 s of the signal");
        List<String> notLogged = lines.stream().filter(line -> !line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*")).toList();

        Result radius = run("blast-radius", "privesc-high-priv-service-role", "--data-dir", dataDir.toString(), "--bolt-port", bolt);
        Result again = run("load", SAMPLE.toString(), "--data-dir", dataDir.toString(), "--bolt-port", bolt);

        assertEquals(sigintIgnored ? 143 : 130, load.exitValue(), String.join("\n", lines));
        assertEquals(1, notLogged.size(), "stderr beyond the INFO log: " + notLogged);
        assertTrue(notLogged.get(0).startsWith("nhigraph: Load interrupted after it stored the files"), notLogged.get(0));
        assertTrue(notLogged.get(0).contains("undoes the stored files from the load journal"), notLogged.get(0));
        // The interrupted load was the first, so the previous snapshot is the empty graph.
        assertTrue(radius.stderr.contains("returned to the snapshot before it"), radius.stderr);
        assertEquals(2, radius.exit, radius.stderr);
        assertTrue(radius.stderr.contains("No principal privesc-high-priv-service-role"), radius.stderr);
        assertEquals("", radius.stdout);
        assertEquals(0, again.exit, again.stderr);
        assertEquals("", again.stderr);
        assertTrue(again.stdout.startsWith("Loaded 1 file"), again.stdout);
    }

    @Test
    void defaultDataDir_loadsThenQueries() throws Exception {
        String bolt = String.valueOf(freePort());

        Result load = runIn(dir, "load", SAMPLE.toAbsolutePath().toString(), "--bolt-port", bolt);
        Result query = runIn(dir, "query", "MATCH (u:AwsUser) RETURN count(u) AS users", "--json", "--bolt-port", bolt);
        // The saved queries are read from inside the jar here, not from a folder.
        Result saved = runIn(dir, "query", "--saved", "principals-by-kind", "--json", "--bolt-port", bolt);
        Result unknown = runIn(dir, "query", "--saved", "nope", "--bolt-port", bolt);

        assertEquals(0, load.exit, load.stderr);
        assertTrue(Files.isDirectory(dir.resolve("nhigraph-data/data")), "the default ./nhigraph-data was not used");
        assertEquals(0, query.exit, query.stderr);
        assertEquals(44, JSON.readTree(query.stdout).get(0).get("users").asInt());
        assertEquals(0, saved.exit, saved.stderr);
        assertTrue(saved.stdout.contains("\"AwsUser\""), saved.stdout);
        assertEquals(2, unknown.exit, unknown.stderr);
        assertTrue(unknown.stderr.contains("admin-equivalent-identities"), unknown.stderr);
    }

    @Test
    void demo_servesThePageAndTheApi() throws Exception {
        int httpPort = freePort();
        int boltPort = freePort();
        Path audit = Path.of("target", "packaged-demo-audit.log").toAbsolutePath();
        Files.deleteIfExists(audit);
        ProcessBuilder command = new ProcessBuilder("java", "-jar", JAR.toString(), "demo", "--port", String.valueOf(httpPort),
                "--bolt-port", String.valueOf(boltPort)).redirectErrorStream(true);
        command.environment().put("NHIGRAPH_AUDIT_LOG", audit.toString());
        Process demo = command.start();
        try {
            DemoStart start = awaitDemoStart(demo);
            String url = start.url();
            String token = start.token();
            assertEquals("http://127.0.0.1:" + httpPort + "/", url);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url + "api/health"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            URI radiusAddress = URI.create(url
                    + "api/blast-radius?id=arn%3Aaws%3Aiam%3A%3A200611803367%3Arole%2Fprivesc-high-priv-service-role");
            HttpResponse<String> radius = http.send(HttpRequest.newBuilder(radiusAddress)
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> withoutToken = http.send(HttpRequest.newBuilder(radiusAddress).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, health.statusCode());
            assertEquals(78, JSON.readTree(health.body()).get("snapshot").get("roles").asInt());
            assertEquals(200, page.statusCode());
            assertEquals(200, radius.statusCode());
            assertTrue(JSON.readTree(radius.body()).get("summary").get("admin").asBoolean());
            assertEquals(401, withoutToken.statusCode(), withoutToken.body());
            String auditLines = Files.readString(audit);
            assertTrue(auditLines.contains("what=\"GET /api/blast-radius\" outcome=ok:200"), auditLines);
            assertFalse(auditLines.contains(token), "the audit log contains the token");
        } finally {
            demo.destroy();
        }
        assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "the demo did not stop within 30 s of SIGTERM");
    }

    @Test
    void demo_stoppedDuringStart_leavesNoTemporaryFolder() throws Exception {
        Path temporary = Files.createDirectories(dir.resolve("demo-tmp"));
        Process demo = new ProcessBuilder("java", "-Djava.io.tmpdir=" + temporary, "-jar", JAR.toString(), "demo",
                "--port", String.valueOf(freePort())).redirectErrorStream(true)
                .redirectOutput(dir.resolve("demo-stopped.out").toFile()).start();
        try {
            // The database folder appears when Neo4j begins to start, several seconds before the demo serves.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (listNames(temporary).stream().noneMatch(name -> name.startsWith("nhigraph-neo4j-"))
                    && demo.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(demo.isAlive(), "the demo ended before it created its database: "
                    + Files.readString(dir.resolve("demo-stopped.out")));
        } finally {
            demo.destroy();
        }

        assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "the demo did not stop within 30 s of SIGTERM");
        assertEquals(List.of(), listNames(temporary), "left in the temporary folder");
    }

    private static List<String> listNames(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    /** The demo's address and the read token its link carries. */
    private record DemoStart(String url, String token) {
    }

    /**
     * Reads the demo's output up to the link that carries the token after {@code #token=}; returns the address of the
     * line "nhigraph demo is serving ADDRESS" and that token. The rest of the output is drained in the background.
     */
    private static DemoStart awaitDemoStart(Process process) throws IOException {
        String servingPrefix = "nhigraph demo is serving ";
        String tokenMarker = "#token=";
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String url = null;
        for (String line; (line = reader.readLine()) != null; ) {
            seen.add(line);
            if (line.startsWith(servingPrefix)) {
                url = line.substring(servingPrefix.length()).split(" ")[0];
            }
            if (url != null && line.contains(tokenMarker)) {
                String token = java.net.URLDecoder.decode(line.substring(line.indexOf(tokenMarker) + tokenMarker.length()).strip(),
                        StandardCharsets.UTF_8);
                Thread drain = new Thread(() -> reader.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return new DemoStart(url, token);
            }
        }
        throw new AssertionError("the demo exited before printing its link with the token; output: " + seen);
    }

    private static Result run(String... args) throws Exception {
        return runIn(Path.of("."), args);
    }

    /** Runs the jar with {@code workingDirectory} as the current folder, as a user in their own folder would. */
    private static Result runIn(Path workingDirectory, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "nhigraph " + args[0] + " did not finish in 120 s");
        return new Result(process.exitValue(), stdout, stderr);
    }

    /** Tells whether process {@code pid} ignores signal number {@code signal}, from the SigIgn mask of Linux's /proc. */
    private static boolean signalIgnored(long pid, int signal) throws IOException {
        Path status = Path.of("/proc", String.valueOf(pid), "status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
                return (mask & (1L << (signal - 1))) != 0;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private record Result(int exit, String stdout, String stderr) {
    }
}
