package dev.nhigraph.db;

import dev.nhigraph.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Reads and writes files that only their owner may read, such as the API token file and the Neo4j password file. */
public final class OwnerOnlyFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /**
     * Checks that neither group nor others have any permission on {@code file}, as ssh does with private keys.
     *
     * @param description what the file is, such as "API token file"
     * @param contents    what others could read, such as "the tokens"
     * @param advice      the sentence that follows the {@code chmod} command, such as what to replace
     * @throws BadInputException naming the file, its mode and the {@code chmod 600} command
     */
    public static void rejectOpenPermissions(Path file, String description, String contents, String advice) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw new BadInputException("The " + description + " " + absolute + " has mode "
                        + PosixFilePermissions.toString(permissions) + ", so other users may read " + contents + "."
                        + " Run `chmod 600 " + absolute + "`, and " + advice);
            }
        } catch (UnsupportedOperationException e) {
            // NOTE: on a file system without POSIX permissions (Windows) the file's access is not checked. The
            // folder's access control list decides who can read it.
        } catch (IOException e) {
            throw new BadInputException("Failed to read the permissions of the " + description + " " + absolute + " ("
                    + e.getMessage() + ").", e);
        }
    }

    /**
     * Writes {@code content} to a new file with mode 0600 beside {@code file}, then renames it to {@code file}, so that a
     * reader sees the old file or the whole new one.
     *
     * @param replaceExisting whether an existing {@code file} is replaced; without it, an existing file is an error
     * @throws java.nio.file.FileAlreadyExistsException when a parent of {@code file} is a file, or {@code file} exists
     *                                                  and {@code replaceExisting} is false
     */
    public static void write(Path file, String content, boolean replaceExisting) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path folder = absolute.getParent();
        Files.createDirectories(folder);
        Path temporary = createOwnerOnly(folder, "." + absolute.getFileName() + "-");
        try {
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            if (!replaceExisting) {
                // Without REPLACE_EXISTING the move fails on an existing file. ATOMIC_MOVE may replace it anyway, as
                // rename(2) does on Linux.
                Files.move(temporary, absolute);
                return;
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            deleteQuietly(temporary);
        }
    }

    private static Path createOwnerOnly(Path folder, String prefix) throws IOException {
        try {
            return Files.createTempFile(folder, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(folder, prefix, ".tmp");
        }
    }

    private static void deleteQuietly(Path temporary) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // The rename has already happened or failed. A leftover temporary file is owner-only like the real one.
        }
    }
}
