package dev.nhigraph.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nhigraph.BadInputException;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.generate.SyntheticOrganization;
import dev.nhigraph.generate.Tier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write a deterministic synthetic organisation, AWS and GCP, as an offline bundle, with its planted"
                + " ground truth.",
                "DIR/bundle/ holds the AWS CLI outputs (load it with `nhigraph load DIR/bundle`); DIR/expected.json"
                        + " lists the planted CAN_ASSUME chains, the decoys and the expected `can` decisions."
                        + " Every tier also writes a credential report per account and the access keys of each user"
                        + " under DIR/bundle/iam/, which `nhigraph load` reads."
                        + " S, M and L also write a GCP organisation as gcloud JSON outputs to DIR/bundle/gcp/, with its"
                        + " planted escalation paths and decoys under \"gcp\" in expected.json; Q has no GCP part."
                        + " The same tier and seed give byte-identical files. docs/synthetic-organisations.md has the"
                        + " exact counts of each tier."})
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--tier", required = true, paramLabel = "TIER",
            description = "Size: S (5 accounts, 750 roles, 100 users, 400 customer-managed policies),"
                    + " Q (1 account at the IAM quotas: 5,000 roles, 5,000 users, 5,000 policies),"
                    + " M (50 accounts, 20,000 roles, 2,000 users, 12,500 policies) or"
                    + " L (500 accounts, 250,000 roles, 15,000 users, 125,000 policies; about 1 GB on disk)."
                    + " Allowed: ${COMPLETION-CANDIDATES}.")
    Tier tier;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the random choices, any 64-bit integer (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "New or empty folder to write bundle/ and expected.json to (created if missing).")
    Path out;

    @Override
    public Integer call() {
        SyntheticOrganization.Result result;
        try {
            result = SyntheticOrganization.generate(tier, seed, out);
        } catch (BadInputException e) {
            // The generator rejects only its output folder, so the message names the option that gave it.
            throw new BadInputException("--out " + e.getMessage(), e);
        }
        System.out.println("Generated tier " + tier + " with seed " + seed + ": " + result.files() + " files, "
                + result.bytes() + " bytes in " + result.bundle() + " (" + result.millis() + " ms); ground truth in "
                + result.expected() + ": " + result.truth().chains().size() + " chains, " + result.truth().decoys().size()
                + " decoys, " + result.truth().queries().size() + " queries" + gcpTruth(result.expected()));
        System.out.println("Load it with: " + Invocation.command() + " load " + result.bundle());
        return 0;
    }

    /** Returns the GCP part of the ground truth in words, or nothing for a tier without GCP. */
    private static String gcpTruth(Path expected) {
        try {
            JsonNode gcp = new ObjectMapper().readTree(expected.toFile()).path("gcp");
            return gcp.isMissingNode() ? "" : "; GCP: " + gcp.path("paths").size() + " paths, " + gcp.path("decoys").size()
                    + " decoys";
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read back " + expected + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the command on its own, before it is a subcommand of {@code nhigraph}, with the exit codes of
     * {@link Main}: 0 success, 1 failure of the work, 2 bad usage or bad input.
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command on its own and returns its exit code, without exiting the JVM. */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new GenerateCommand());
        commandLine.setExecutionExceptionHandler(GenerateCommand::handleException);
        return commandLine.execute(args);
    }

    private static int handleException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (e instanceof BadInputException) {
            err.println("nhigraph generate: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        if (e instanceof NhigraphException) {
            err.println("nhigraph generate: " + e.getMessage());
            return Main.EXIT_FAILURE;
        }
        LoggerFactory.getLogger(GenerateCommand.class).error("Unexpected failure of generate", e);
        err.println("nhigraph generate: internal error: " + e + ". Report it with the tier and seed.");
        return Main.EXIT_FAILURE;
    }
}
