package dev.nhigraph.db;

import dev.nhigraph.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The password of the embedded Neo4j's user {@value #USER}, in a file that only its owner may read.
 *
 * <p>The file contains the password alone on one line, so that a shell can pass it on with
 * {@code NEO4J_PASSWORD="$(cat FILE)"}. It is created with mode 0600 on the first start, and a file that group or
 * others may read is rejected, as ssh does with private keys.
 */
public final class Neo4jPasswordFile {

    /** The Neo4j user that nhigraph and analysts log in as: the one user that Neo4j creates in a new database. */
    public static final String USER = "neo4j";
    static final String SUFFIX = ".neo4j-password";
    private static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Neo4jPasswordFile() {
    }

    /**
     * Returns the password file of a persistent data directory: beside it and named after it, so that a copy or backup
     * of the folder does not carry the password along.
     */
    public static Path besideData(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        return dir.resolveSibling(dir.getFileName() + SUFFIX);
    }

    /**
     * Returns the password in {@code file}, after creating the file with a new random password when it does not exist.
     *
     * @throws BadInputException when the file is readable by others, empty, or cannot be read or written
     */
    public static String readOrCreate(Path file) {
        if (Files.exists(file)) {
            return read(file);
        }
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
        write(file, password);
        return password;
    }

    /**
     * Returns the password in an existing {@code file}.
     *
     * @throws BadInputException when the file is missing, readable by others, empty, or cannot be read
     */
    public static String read(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("The Neo4j password file " + absolute + " does not exist. Give the "
                    + "*" + SUFFIX + " file beside the data directory of the nhigraph that runs the database.");
        }
        OwnerOnlyFiles.rejectOpenPermissions(file, "Neo4j password file", "the password",
                "delete the file to have a new password set at the next start if others could have read it.");
        String password;
        try {
            password = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new BadInputException("Failed to read the Neo4j password file " + absolute + " (" + e.getMessage()
                    + "). Fix its permissions, or delete it and a new password is set at the next start of the"
                    + " embedded database.", e);
        }
        if (password.isEmpty()) {
            throw new BadInputException("The Neo4j password file " + absolute + " is empty. Delete it, and a new"
                    + " password is set at the next start of the embedded database.");
        }
        return password;
    }

    /** Writes a new file with mode 0600 beside {@code file}, then renames it to {@code file}. */
    private static void write(Path file, String password) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            OwnerOnlyFiles.write(absolute, password + "\n", false);
        } catch (FileAlreadyExistsException e) {
            throw new BadInputException("Failed to create the Neo4j password file " + absolute + ": " + e.getFile()
                    + " already exists. Choose another --data-dir.", e);
        } catch (IOException e) {
            throw new BadInputException("Failed to write the Neo4j password file " + absolute + " (" + e.getMessage()
                    + "). Choose a --data-dir whose parent folder is writable.", e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
