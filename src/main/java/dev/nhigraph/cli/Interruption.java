package dev.nhigraph.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.nhigraph.analysis.LoadService;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * The stop of a command by Ctrl-C (SIGINT) or SIGTERM while it works. The JVM then runs the shutdown hooks, which
 * close the database while the command's thread still uses it. That thread's next query fails, and the driver and
 * {@link Main} would print those failures as stack traces. Once {@link #begin} has run, logging is off and
 * {@link Main} prints nothing more, so the one line that the hook prints is the command's last output.
 */
final class Interruption {

    private static volatile boolean started;

    private Interruption() {
    }

    /** Marks the command as interrupted and turns every log event off, for the rest of the JVM's life. */
    static void begin() {
        started = true;
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.addTurboFilter(new TurboFilter() {
                @Override
                public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
                                          Object[] params, Throwable error) {
                    return FilterReply.DENY;
                }
            });
        }
    }

    /** Tells whether a shutdown hook has begun to stop the command. */
    static boolean started() {
        return started;
    }

    /** Prints the command's last line on stderr, after clearing a progress line that a terminal may show. */
    static void print(String message) {
        System.err.println((System.console() != null ? "\r\033[K" : "") + "nhigraph: " + message);
    }

    /** Returns the message of a command that only reads the graph. */
    static String readMessage(String command) {
        return command + " interrupted; it had not written to the graph.";
    }

    /** Returns what an interrupted load has left in the graph, from how far it came. */
    static String loadMessage(LoadService service, Database db) {
        return loadMessage(service.phase(), service.hadSnapshot(), db.journaled(), service.derivingStage());
    }

    /** Returns what an interrupted load has left in the graph, for a load that had not begun to derive. */
    static String loadMessage(LoadService.Phase phase, boolean hadSnapshot, boolean journaled) {
        return loadMessage(phase, hadSnapshot, journaled, "CAN_ASSUME");
    }

    /**
     * Returns what an interrupted load has left in the graph.
     *
     * @param phase       how far the load came
     * @param hadSnapshot whether the graph had a finished load before this one
     * @param journaled   whether the database keeps a load journal (the embedded one with --data-dir), so that the
     *                    next start undoes stored facts of an unfinished load
     * @param stage       the derived edges the load was deriving: CAN_ASSUME, CAN_ACCESS, CAN_ESCALATE or GCP
     */
    static String loadMessage(LoadService.Phase phase, boolean hadSnapshot, boolean journaled, String stage) {
        String remaining = hadSnapshot ? "the graph keeps the previous snapshot" : "the graph stays empty, as it was";
        String restoring = hadSnapshot ? "returns the graph to the previous snapshot" : "returns the graph to empty";
        String deriving = switch (stage) {
            case "CAN_ACCESS" -> "CAN_ACCESS (CAN_ASSUME was done), CAN_ESCALATE and the GCP edges";
            case "CAN_ESCALATE" -> "CAN_ESCALATE (CAN_ASSUME and CAN_ACCESS were done) and the GCP edges";
            case "GCP" -> "the GCP edges (the AWS edges were done)";
            default -> "CAN_ASSUME, CAN_ACCESS, CAN_ESCALATE and the GCP edges";
        };
        return switch (phase) {
            case NOT_STARTED -> "Load interrupted before it wrote anything; " + remaining + ".";
            case STORING_FACTS -> "Load interrupted while it stored the files; Neo4j rolls that transaction back,"
                    + " so " + remaining + ".";
            // The commit may have reached Neo4j before the driver closed, and only a LoadInProgress node in the graph shows it.
            case COMMITTING_FACTS -> journaled
                    ? "Load interrupted while Neo4j committed the files. If the commit went through, the next command"
                    + " that opens this data directory undoes it from the load journal and " + restoring + "; if not, "
                    + remaining + "."
                    : "Load interrupted while Neo4j committed the files. Run the same load again: if"
                    + " the commit went through, blast-radius, can and the API reject the graph until a load finishes,"
                    + " and if not, " + remaining + ".";
            case DERIVING -> journaled
                    ? "Load interrupted after it stored the files, while it derived " + deriving + ". The next"
                    + " command that opens this data directory undoes the stored files from the load journal and"
                    + " derives the edges again, which " + restoring + "."
                    : "Load interrupted after it stored the files, while it derived " + deriving + ", so some of them"
                    + " are missing. The graph returns to the previous snapshot once the load has been silent for a"
                    + " minute, at the next nhigraph command that connects or by itself under a running `nhigraph"
                    + " serve`; loading the same files again also finishes it.";
            case FINISHED -> "Interrupted after the load finished; the graph has the new snapshot.";
        };
    }
}
