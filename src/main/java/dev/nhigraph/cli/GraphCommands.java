package dev.nhigraph.cli;

import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.analysis.UnfinishedLoad;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** Steps shared by the commands that read the graph: opening it, and resolving a principal. */
final class GraphCommands {

    private GraphCommands() {
    }

    /**
     * Opens the graph of --data-dir or --neo4j-uri when {@code paths} is empty; otherwise loads the paths into a
     * throw-away database and opens that. Bad input is rejected before any database starts, and a graph whose
     * last load did not finish is refused.
     *
     * @param command the command's name, for the message printed on Ctrl-C
     */
    static Database open(DatabaseOptions options, List<Path> paths, String command) {
        LoadService.PreparedLoad prepared = paths.isEmpty() ? null : LoadService.prepare(paths);
        Database db = paths.isEmpty() ? options.openExisting() : options.openForOfflineRun();
        try {
            if (prepared != null) {
                LoadService service = new LoadService(db.store());
                db.onInterrupt(() -> Interruption.loadMessage(service, db));
                LoadResult loaded;
                try (Progress progress = new Progress(System.err)) {
                    loaded = service.load(prepared, progress);
                }
                Output.printSkippedAndWarnings(loaded);
            }
            db.onInterrupt(() -> Interruption.readMessage(command));
            UnfinishedLoad.requireNone(db.store());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * Prints an answer about {@code reference}: as JSON with a {@code credential} field, or as text after a line that
     * names the key's user, status and last use, when the reference is an AWS access key id.
     */
    static <T> void printAnswer(GraphService graph, String reference, T answer, boolean json, Function<T, String> text) {
        GraphService.CredentialNote note = graph.describeCredential(reference);
        if (json) {
            System.out.println(Output.json(note == null ? answer : note.attachTo(answer)));
        } else {
            System.out.println(note == null ? text.apply(answer) : note.text() + "\n\n" + text.apply(answer));
        }
    }

    /** Returns the id of the principal named by ARN, unique id, exact name or a GCP name, or rejects the reference. */
    static String principal(GraphService graph, String reference) {
        return graph.requirePrincipal(reference, "Give an AWS principal's ARN, unique id or name, or a GCP member"
                + " (serviceAccount:EMAIL, user:EMAIL), email, full resource name or key id; `" + Invocation.command()
                + " query \"MATCH (p:Principal) RETURN p.id LIMIT 20\"` with the same --data-dir or --neo4j-uri lists some.");
    }
}
