package dev.nhigraph.cli;

import ch.qos.logback.classic.Level;
import dev.nhigraph.BadInputException;
import dev.nhigraph.NhigraphException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code nhigraph} command line.
 *
 * <p>Exit codes: 0 success, 1 failure of the work (database, I/O), 2 bad usage or bad input. Messages go to
 * stderr; data (reports, --json) goes to stdout.
 */
@Command(name = "nhigraph", mixinStandardHelpOptions = true, version = "nhigraph 0.1.0",
        description = "Maps non-human identities (IAM roles, users, service accounts) into a Neo4j graph and shows what each can reach.",
        subcommands = {DemoCommand.class, ServeCommand.class, LoadCommand.class, CollectCommand.class, ScanCommand.class,
                BlastRadiusCommand.class, PathsCommand.class, CanCommand.class, QueryCommand.class, ReportCommand.class,
                DiffCommand.class, GenerateCommand.class, BenchmarkCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;
    /** 128 + SIGINT, as shells report a command stopped by Ctrl-C; the JVM itself exits with it on SIGINT. */
    public static final int EXIT_INTERRUPTED = 130;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log progress at INFO level to stderr (default: warnings and errors only).")
    void setVerbose(boolean verbose) {
        if (verbose) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.nhigraph")).setLevel(Level.INFO);
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code, without exiting the JVM. */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(Main::handleException);
        commandLine.setParameterExceptionHandler(Main::handleBadUsage);
        return commandLine.execute(args);
    }

    /**
     * Prints a rejected command line in one or two lines, as other errors read, with picocli's suggestions for a
     * mistyped option and the help command to run, instead of the whole usage.
     */
    private static int handleBadUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine rejected = e.getCommandLine();
        PrintWriter err = rejected.getErr();
        err.println("nhigraph: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        String command = rejected.getCommandSpec().qualifiedName(" ").replaceFirst("^nhigraph ?", "");
        err.println("Run `" + Invocation.command() + (command.isEmpty() ? "" : " " + command) + " --help` for its"
                + " arguments and options.");
        return EXIT_BAD_INPUT;
    }

    /** Prints the usage to stderr and returns the bad-usage exit code, because a run without a command does nothing. */
    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        commandLine.getErr().println("nhigraph: no command given. Choose one of the commands below, for example `nhigraph demo`.");
        commandLine.usage(commandLine.getErr());
        return EXIT_BAD_INPUT;
    }

    private static int handleException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        if (Interruption.started()) {
            // The failure comes from the database that the shutdown hook closed; the hook has printed the message.
            return EXIT_INTERRUPTED;
        }
        PrintWriter err = commandLine.getErr();
        if (e instanceof BadInputException) {
            err.println("nhigraph: " + e.getMessage());
            return EXIT_BAD_INPUT;
        }
        if (e instanceof NhigraphException) {
            err.println("nhigraph: " + e.getMessage());
            LoggerFactory.getLogger(Main.class).debug("Cause", e);
            return EXIT_FAILURE;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        log.error("Unexpected failure of {}", commandLine.getCommandName(), e);
        err.println("nhigraph: internal error: " + e + ". Run again with --verbose and report the log.");
        return EXIT_FAILURE;
    }
}
