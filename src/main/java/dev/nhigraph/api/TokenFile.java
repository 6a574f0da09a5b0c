package dev.nhigraph.api;

import dev.nhigraph.BadInputException;
import dev.nhigraph.db.OwnerOnlyFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the API tokens come from: the environment, a file readable only by its owner, or memory.
 *
 * <p>{@value #API_TOKEN_ENV} sets the read token and {@value #ADMIN_TOKEN_ENV} the admin token; with the first set,
 * no file is read or written. Otherwise the token file contains both as {@code read=} and {@code admin=} lines. It is
 * created with mode 0600 on first start, and a file that group or others may read is rejected, as ssh does with
 * private keys.
 */
public final class TokenFile {

    public static final String API_TOKEN_ENV = "NHIGRAPH_API_TOKEN";
    public static final String ADMIN_TOKEN_ENV = "NHIGRAPH_ADMIN_TOKEN";
    private static final String HEADER = "# nhigraph API tokens. Send one as the header \"Authorization: Bearer TOKEN\".\n"
            + "# read: the read-only routes; admin: those too, plus the admin routes. Keep this file private (mode 0600).\n";

    private TokenFile() {
    }

    /** The origin of the tokens in use. */
    public enum Source { ENVIRONMENT, FILE_CREATED, FILE_READ, MEMORY }

    /**
     * The tokens in use. {@link #toString()} leaves the token values out, so that a log line or an exception message
     * that prints this record cannot leak them.
     *
     * @param read   the read-only token
     * @param admin  the admin token, or null when there is none
     * @param file   the token file, or null when the tokens come from the environment or live in memory only
     * @param source where they came from
     */
    public record Tokens(String read, String admin, Path file, Source source) {

        public ApiTokens toApiTokens() {
            return new ApiTokens(read, admin);
        }

        @Override
        public String toString() {
            return "Tokens[source=" + source + ", file=" + file + ", admin=" + (admin != null) + "]";
        }
    }

    /**
     * Returns the tokens from the environment when {@value #API_TOKEN_ENV} is set, else from {@code file}, which is
     * created with two new random tokens when it does not exist.
     *
     * @throws BadInputException when the file is readable by others, lacks the read token, or cannot be written
     */
    public static Tokens load(Map<String, String> environment, Path file) {
        String read = blankToNull(environment.get(API_TOKEN_ENV));
        String admin = blankToNull(environment.get(ADMIN_TOKEN_ENV));
        if (read != null) {
            Tokens tokens = new Tokens(read, admin, null, Source.ENVIRONMENT);
            tokens.toApiTokens();
            return tokens;
        }
        if (admin != null) {
            throw new BadInputException(ADMIN_TOKEN_ENV + " is set but " + API_TOKEN_ENV + " is not. Set both, or"
                    + " neither to use the token file " + file.toAbsolutePath().normalize() + ".");
        }
        if (Files.exists(file)) {
            return read(file);
        }
        Tokens created = new Tokens(ApiTokens.generate(), ApiTokens.generate(), file, Source.FILE_CREATED);
        write(file, created.read(), created.admin());
        return created;
    }

    /** Returns two new random tokens that live only as long as the process, for a throw-away demo database. */
    public static Tokens inMemory() {
        return new Tokens(ApiTokens.generate(), ApiTokens.generate(), null, Source.MEMORY);
    }

    /** Replaces the read token in {@code file}, keeping the admin token, in one atomic rename. */
    public static void replaceReadToken(Path file, String newReadToken) {
        Tokens current = read(file);
        write(file, newReadToken, current.admin());
    }

    private static Tokens read(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        OwnerOnlyFiles.rejectOpenPermissions(file, "API token file", "the tokens",
                "replace the tokens if others could have read them.");
        Properties lines = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            lines.load(in);
        } catch (IOException e) {
            throw new BadInputException("Failed to read the API token file " + absolute + " (" + e.getMessage() + ")."
                    + " Fix its permissions, or delete it and a new one is created at the next start.", e);
        }
        String read = blankToNull(lines.getProperty("read"));
        if (read == null) {
            throw new BadInputException("The API token file " + absolute + " has no read= line. Add one with a random"
                    + " value of at least " + ApiTokens.MIN_TOKEN_CHARS + " characters, or delete the file and a new"
                    + " one is created at the next start.");
        }
        Tokens tokens = new Tokens(read, blankToNull(lines.getProperty("admin")), file, Source.FILE_READ);
        try {
            tokens.toApiTokens();
        } catch (BadInputException e) {
            throw new BadInputException("The API token file " + absolute + " is invalid: " + e.getMessage(), e);
        }
        return tokens;
    }

    /** Writes a new file with mode 0600 beside {@code file}, then renames it over {@code file}. */
    private static void write(Path file, String read, String admin) {
        Path absolute = file.toAbsolutePath().normalize();
        Path folder = absolute.getParent();
        String content = HEADER + "read=" + read + "\n" + (admin == null ? "" : "admin=" + admin + "\n");
        try {
            OwnerOnlyFiles.write(absolute, content, true);
        } catch (FileAlreadyExistsException e) {
            throw new BadInputException("Failed to create the API token file in " + folder + ": " + e.getFile()
                    + " is a file, not a folder. Give another --token-file.", e);
        } catch (IOException e) {
            throw new BadInputException("Failed to write the API token file " + absolute + " (" + e.getMessage() + ")."
                    + " Give a writable path with --token-file, or set " + API_TOKEN_ENV + ".", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
