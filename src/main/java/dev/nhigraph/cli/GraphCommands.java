package dev.nhigraph.cli;

import dev.nhigraph.BadInputException;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.LoadService;
import java.nio.file.Path;
import java.util.List;

/** Steps shared by the commands that read the graph: opening it, and resolving a principal. */
final class GraphCommands {

    private GraphCommands() {
    }

    /**
     * Opens the graph of --data-dir or --neo4j-uri when {@code paths} is empty; otherwise loads the paths into a
     * throw-away database and opens that. Bad input is rejected before any database starts.
     */
    static Database open(DatabaseOptions options, List<Path> paths) {
        if (paths.isEmpty()) {
            return options.openExisting();
        }
        LoadService.PreparedLoad prepared = LoadService.prepare(paths);
        Database db = options.openForOfflineRun();
        try (Progress progress = new Progress(System.err)) {
            new LoadService(db.store()).load(prepared, progress);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** Returns the id of the principal named by ARN, unique id or exact name, or rejects the reference. */
    static String principal(GraphService graph, String reference) {
        String resolved;
        try {
            resolved = graph.resolvePrincipal(reference);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (resolved == null) {
            throw new BadInputException("No principal " + reference + " in the graph. Give its ARN, unique id or name;"
                    + " `nhigraph query \"MATCH (p:Principal) RETURN p.id LIMIT 20\"` lists some.");
        }
        return resolved;
    }
}
