package dev.nhigraph.testsupport;

import dev.nhigraph.audit.Audit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The lines that a test appends to the audit file. The file outlives test runs, so a tail reads only what was written
 * after it was {@link #start() started}.
 */
public final class AuditTail {

    private final Path file;
    private final long start;

    private AuditTail(Path file, long start) {
        this.file = file;
        this.start = start;
    }

    /** Marks the current end of the audit file. */
    public static AuditTail start() {
        Path file = Path.of(Audit.file());
        try {
            return new AuditTail(file, Files.exists(file) ? Files.size(file) : 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the lines appended since {@link #start()}. */
    public List<String> lines() {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            byte[] all = Files.readAllBytes(file);
            return new String(all, (int) start, all.length - (int) start, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the one appended line that contains {@code text}, and fails when there is none or more than one. */
    public String onlyLineWith(String text) {
        List<String> matching = lines().stream().filter(line -> line.contains(text)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one audit line with " + text + " in " + file + ", found " + matching);
        }
        return matching.get(0);
    }
}
