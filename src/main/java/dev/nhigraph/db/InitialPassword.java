package dev.nhigraph.db;

import dev.nhigraph.NhigraphException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.commandline.admin.security.SetInitialPasswordCommand;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.SecurityException;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.server.security.auth.CommunitySecurityModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Sets the password of the embedded Neo4j's user {@value Neo4jPasswordFile#USER} to the one in nhigraph's password
 * file, before Bolt accepts a connection where Neo4j allows it.
 *
 * <p>Neo4j 5.26 applies an initial password from {@code data/dbms/auth.ini} while the system database starts, and
 * a new database's debug.log shows that this happens before the Bolt connector opens. It does so only while the user
 * still has the default password {@code neo4j}, as in a new database and in one that an nhigraph without Bolt
 * authentication created. {@link #stage} writes that file with Neo4j's own {@code neo4j-admin dbms
 * set-initial-password} command, run in this JVM, and {@link #unstage} deletes it once the database has started.
 *
 * <p>A database whose password is already another one, such as a copy of a data directory without its password
 * file, keeps that password. {@link #ensureAccepted} then sets the file's password through the embedded system
 * database, which needs no login. That gives nothing away, because anyone able to start the database on these files
 * can read them anyway.
 *
 * <p>NOTE: {@code SetInitialPasswordCommand} and {@code CommunitySecurityModule} are classes of Neo4j 5.26.12's
 * implementation, not of its public Java API, so a Neo4j upgrade may move or change them. EmbeddedNeo4jAuthTest
 * checks the behaviour this class relies on.
 */
final class InitialPassword {

    private static final Logger log = LoggerFactory.getLogger(InitialPassword.class);
    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());
    // The error code that Neo4j returns for every login while it locks the user after failed ones
    // (dbms.security.auth_max_failed_attempts).
    private static final String RATE_LIMIT_CODE = "Neo.ClientError.Security.AuthenticationRateLimit";
    private static final int LOCKED_ATTEMPTS = 6;
    private static final long LOCKED_RETRY_MILLIS = 2_000;

    private InitialPassword() {
    }

    /** Writes {@code auth.ini} under {@code home} with {@code password}, replacing an earlier one. */
    static void stage(Path home, String password) {
        ExecutionContext context = new ExecutionContext(home, home.resolve("conf"), DISCARD, DISCARD,
                new DefaultFileSystemAbstraction());
        SetInitialPasswordCommand command = new SetInitialPasswordCommand(context);
        try {
            // "--" ends the options, so a password that starts with "-" (1 in 64 of the generated ones) is not
            // taken for an option.
            new CommandLine(command).parseArgs("--", password);
            command.execute();
        } catch (IOException | RuntimeException e) {
            // The exception of the command names the file, never the password.
            throw new NhigraphException("Failed to write Neo4j's initial password file " + authFile(home) + ": "
                    + Messages.sentence(e.getMessage()) + " Check that " + home + " is writable.", e);
        }
    }

    /** Deletes the {@code auth.ini} that {@link #stage} wrote, which the started database has read already. */
    static void unstage(Path home) {
        Path file = authFile(home);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The file contains a salted hash of the password, not the password. It is replaced at the next start.
            log.warn("Failed to delete Neo4j's initial password file {}: {}", file, e.getMessage());
        }
    }

    /**
     * Checks that Bolt accepts {@code auth}, and when it does not, sets the user's password to {@code password}
     * through the system database and checks again.
     *
     * @throws NhigraphException when Bolt still rejects the password
     */
    static void ensureAccepted(DatabaseManagementService dbms, Path home, String boltUri, AuthToken auth, String password,
            Path passwordFile) {
        if (accepts(boltUri, auth, home)) {
            return;
        }
        log.warn("The embedded Neo4j did not accept the password in {}, because its data directory had another one"
                + " (a copy without its password file?). Setting the password of user {} to the file's.",
                passwordFile, Neo4jPasswordFile.USER);
        dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                "CREATE USER " + Neo4jPasswordFile.USER + " IF NOT EXISTS SET PASSWORD $password CHANGE NOT REQUIRED",
                Map.of("password", password));
        dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                "ALTER USER " + Neo4jPasswordFile.USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
                Map.of("password", password));
        if (!accepts(boltUri, auth, home)) {
            throw new NhigraphException("The embedded Neo4j at " + boltUri + " rejects the password in " + passwordFile
                    + " even after nhigraph set it through the system database. Look for the cause in "
                    + home.resolve("logs/security.log") + ", or choose a new --data-dir.");
        }
    }

    /**
     * Returns whether Bolt accepts {@code auth}. While Neo4j rejects every login because of earlier failed ones, it
     * retries for about twice Neo4j's default lock time of 5 s.
     *
     * @throws NhigraphException when the user stays locked
     */
    static boolean accepts(String boltUri, AuthToken auth, Path home) {
        Config config = Config.builder().withLogging(Logging.slf4j()).build();
        for (int attempt = 1; ; attempt++) {
            try (Driver driver = GraphDatabase.driver(boltUri, auth, config)) {
                driver.verifyConnectivity();
                return true;
            } catch (AuthenticationException e) {
                return false;
            } catch (SecurityException e) {
                if (!RATE_LIMIT_CODE.equals(e.code()) || attempt == LOCKED_ATTEMPTS) {
                    throw new NhigraphException("The embedded Neo4j at " + boltUri + " rejects the login of user "
                            + Neo4jPasswordFile.USER + " after repeated failed logins (" + e.code() + "). Another"
                            + " program on this machine may be guessing its password. Start again once it has"
                            + " stopped. The database in " + home + " is unchanged.", e);
                }
                log.warn("The embedded Neo4j at {} rejects logins of user {} after repeated failed logins, such as"
                        + " another program guessing the password. Retrying in {} ms (attempt {} of {})", boltUri,
                        Neo4jPasswordFile.USER, LOCKED_RETRY_MILLIS, attempt, LOCKED_ATTEMPTS);
                sleep(LOCKED_RETRY_MILLIS);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NhigraphException("Interrupted while waiting for the embedded Neo4j to accept logins again.", e);
        }
    }

    static Path authFile(Path home) {
        org.neo4j.configuration.Config config = org.neo4j.configuration.Config.newBuilder().set(GraphDatabaseSettings.neo4j_home, home.toAbsolutePath()).build();
        return CommunitySecurityModule.getInitialUserRepositoryFile(config);
    }
}
