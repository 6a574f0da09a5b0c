package dev.nhigraph.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.nhigraph.BadInputException;
import dev.nhigraph.testsupport.DatabaseFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.slf4j.LoggerFactory;

/** Bolt authentication of the embedded Neo4j: the password file, what Bolt rejects, and where Bolt listens. */
class EmbeddedNeo4jAuthTest {

    @TempDir
    Path dir;

    @Test
    void newDatabase_rejectsMissingAndWrongPassword() {
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(dir.resolve("graph"), 0)) {
            // The right password goes first, because Neo4j 5.26 locks the user for 5 s after 3 failed logins
            // (dbms.security.auth_lock_time and auth_max_failed_attempts).
            assertEquals(1L, connect(neo4j.boltUri(), neo4j.authToken()));

            assertThrows(AuthenticationException.class, () -> connect(neo4j.boltUri(), AuthTokens.none()));
            assertThrows(AuthenticationException.class,
                    () -> connect(neo4j.boltUri(), AuthTokens.basic(Neo4jPasswordFile.USER, "not-the-password")));
            assertThrows(AuthenticationException.class,
                    () -> connect(neo4j.boltUri(), AuthTokens.basic(Neo4jPasswordFile.USER, Neo4jPasswordFile.USER)));
        }
    }

    @Test
    void lockedUser_loginCheckWaitsForUnlock() {
        Path home = dir.resolve("graph");
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(home, 0)) {
            for (int i = 0; i < 3; i++) {
                String wrong = "wrong-password-" + i;
                assertThrows(AuthenticationException.class,
                        () -> connect(neo4j.boltUri(), AuthTokens.basic(Neo4jPasswordFile.USER, wrong)));
            }

            assertTrue(InitialPassword.accepts(neo4j.boltUri(), neo4j.authToken(), home),
                    "the right password must be accepted once Neo4j's lock after 3 failed logins ends");
        }
    }

    @Test
    void passwordFile_ownerOnlyBesideData() throws IOException {
        Path home = dir.resolve("graph");

        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(home, 0)) {
            Path file = dir.resolve("graph.neo4j-password");
            assertEquals(file, neo4j.passwordFile());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            String password = Files.readString(file).strip();
            assertEquals(43, password.length());
            assertEquals(1L, connect(neo4j.boltUri(), AuthTokens.basic(Neo4jPasswordFile.USER, password)));
        }
        assertFalse(Files.exists(home.resolve("data/dbms/auth.ini")), "the staged initial password file must be deleted");
    }

    @Test
    void restart_keepsThePassword() throws IOException {
        Path home = dir.resolve("graph");
        startLogInAndStop(home);
        String password = Files.readString(dir.resolve("graph.neo4j-password"));

        try (EmbeddedNeo4j second = EmbeddedNeo4j.start(home, 0)) {
            assertEquals(password, Files.readString(second.passwordFile()));
            assertEquals(1L, connect(second.boltUri(), AuthTokens.basic(Neo4jPasswordFile.USER, password.strip())));
        }
    }

    @Test
    void oldDatabase_getsPasswordKeepsGraph() {
        Path home = dir.resolve("old-graph");
        createWithoutAuth(home);

        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(home, 0)) {
            assertThrows(AuthenticationException.class, () -> connect(neo4j.boltUri(), AuthTokens.none()));
            assertThrows(AuthenticationException.class,
                    () -> connect(neo4j.boltUri(), AuthTokens.basic(Neo4jPasswordFile.USER, Neo4jPasswordFile.USER)));
            try (GraphStore store = GraphStore.connect(neo4j.boltUri(), neo4j.authToken())) {
                long keptNodes = store.read(tx -> tx.run("MATCH (n:Kept) RETURN count(n) AS n").single().get("n").asLong());
                assertEquals(1L, keptNodes);
            }
        }
    }

    @Test
    void copiedDataDirectory_takesItsOwnPasswordFile() throws IOException {
        Path original = dir.resolve("original");
        startLogInAndStop(original);
        String originalPassword = Neo4jPasswordFile.read(dir.resolve("original.neo4j-password"));
        Path copy = dir.resolve("copy");
        DatabaseFolders.copy(original, copy);

        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(copy, 0)) {
            String copyPassword = Neo4jPasswordFile.read(neo4j.passwordFile());
            assertNotEquals(originalPassword, copyPassword);
            assertEquals(1L, connect(neo4j.boltUri(), neo4j.authToken()));
            assertThrows(AuthenticationException.class,
                    () -> connect(neo4j.boltUri(), AuthTokens.basic(Neo4jPasswordFile.USER, originalPassword)));
        }
    }

    @Test
    void passwordFileReadableByOthers_stopsTheStart() throws IOException {
        Path home = dir.resolve("graph");
        Path file = Files.writeString(dir.resolve("graph.neo4j-password"), "a-password-that-others-can-read\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        BadInputException e = assertThrows(BadInputException.class, () -> EmbeddedNeo4j.start(home, 0));

        assertTrue(e.getMessage().contains("chmod 600 " + file), e.getMessage());
        assertFalse(e.getMessage().contains("a-password-that-others-can-read"), e.getMessage());
        assertFalse(Files.exists(home.resolve("data")), "no database may start with an exposed password");
    }

    @Test
    void password_isNeverLogged() throws IOException {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level rootLevel = root.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        root.setLevel(Level.DEBUG);
        Path home = dir.resolve("graph");
        String password;
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(home, 0)) {
            password = Neo4jPasswordFile.read(neo4j.passwordFile());
            connect(neo4j.boltUri(), neo4j.authToken());
        } finally {
            root.detachAppender(events);
            root.setLevel(rootLevel);
        }

        assertFalse(events.list.isEmpty(), "no log event was captured, so the check below proves nothing");
        for (ILoggingEvent event : events.list) {
            assertFalse(event.getFormattedMessage().contains(password), "logged: " + event.getFormattedMessage());
        }
        try (Stream<Path> files = Files.walk(home.resolve("logs"))) {
            for (Path log : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(log).contains(password), "Neo4j's " + log + " contains the password");
            }
        }
    }

    @Test
    void bolt_listensOnLoopbackOnly() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc/net/tcp");
        Set<String> before = listeningSocketsOfThisProcess();

        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(dir.resolve("graph"), 0)) {
            Set<String> opened = new HashSet<>(listeningSocketsOfThisProcess());
            opened.removeAll(before);

            assertEquals(Set.of("127.0.0.1:" + neo4j.boltPort()), opened,
                    "the embedded database must listen on its Bolt port of 127.0.0.1 and nowhere else");
        }
    }

    /** Creates or opens the database in {@code home}, checks that its own credentials log in, and stops it. */
    private static void startLogInAndStop(Path home) {
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(home, 0)) {
            assertEquals(1L, connect(neo4j.boltUri(), neo4j.authToken()));
        }
    }

    /** Runs {@code RETURN 1} over Bolt with {@code auth}, and returns its value. */
    private static long connect(String uri, AuthToken auth) {
        try (Driver driver = GraphDatabase.driver(uri, auth)) {
            return driver.executableQuery("RETURN 1 AS one").execute().records().get(0).get("one").asLong();
        }
    }

    /** Creates a database as nhigraph did before Bolt authentication, with one node in it. */
    private static void createWithoutAuth(Path home) {
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, false)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", 0))
                .build();
        try {
            dbms.database("neo4j").executeTransactionally("CREATE (:Kept {id: 'before-auth'})");
        } finally {
            dbms.shutdown();
        }
    }

    /**
     * Returns the local addresses of the TCP sockets that this JVM listens on, as "ADDRESS:PORT", read from
     * /proc/net/tcp and tcp6 and matched to this process through the socket inodes of /proc/self/fd.
     */
    private static Set<String> listeningSocketsOfThisProcess() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // The descriptor was closed while the folder was listed.
                }
            }
        }
        Set<String> listening = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            List<String> lines = new ArrayList<>(Files.readAllLines(path));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                boolean listen = fields[3].equals("0A");
                if (listen && inodes.contains(fields[9])) {
                    listening.add(address(fields[1]));
                }
            }
        }
        return listening;
    }

    /**
     * Decodes /proc/net/tcp's "0100007F:1F90" (IPv4, little-endian) and the IPv4-mapped IPv6 form of tcp6. Other IPv6
     * addresses stay in hex.
     */
    private static String address(String field) {
        String[] parts = field.split(":");
        int port = Integer.parseInt(parts[1], 16);
        String hex = parts[0];
        String ipv4Mapped = "0000000000000000FFFF0000";
        if (hex.length() == 32 && hex.startsWith(ipv4Mapped)) {
            hex = hex.substring(ipv4Mapped.length());
        }
        if (hex.length() == 8) {
            return Integer.parseInt(hex.substring(6, 8), 16) + "." + Integer.parseInt(hex.substring(4, 6), 16) + "."
                    + Integer.parseInt(hex.substring(2, 4), 16) + "." + Integer.parseInt(hex.substring(0, 2), 16) + ":" + port;
        }
        return "[" + hex + "]:" + port;
    }
}
