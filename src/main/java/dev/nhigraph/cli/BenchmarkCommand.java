package dev.nhigraph.cli;

import dev.nhigraph.BadInputException;
import dev.nhigraph.bench.Benchmark;
import dev.nhigraph.bench.BenchmarkReport;
import dev.nhigraph.bench.BenchmarkResult;
import dev.nhigraph.generate.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Measure nhigraph on a synthetic organisation: generate it, load it into a fresh embedded Neo4j,"
                + " run the analysis, time blast radius and paths to admin on randomly chosen users and roles, record"
                + " peak heap and resident memory, and check the planted answers.",
                "Prints a summary and writes every number, with the machine, the command, the date and the git commit,"
                        + " to a JSON file. Exit code 1 when a planted answer is wrong. docs/benchmarks.md lists earlier results."})
final class BenchmarkCommand implements Callable<Integer> {

    /** The source of the organisation: generated for a tier, or generated earlier. */
    static final class Source {

        @Option(names = "--tier", required = true, paramLabel = "TIER",
                description = "Generate this tier: S (5 accounts, 850 users and roles), Q (1 account, 10,000 users and"
                        + " roles), M (50 accounts, 22,000; give java -Xmx2560m or more, and --page-cache 512m to stay within 4 GB) or L (500 accounts, 265,000)."
                        + " Allowed: ${COMPLETION-CANDIDATES}.")
        Tier tier;

        @Option(names = "--bundle", required = true, paramLabel = "DIR",
                description = "Use the organisation that `nhigraph generate --out DIR` wrote (DIR/bundle/ and"
                        + " DIR/expected.json) instead of generating one; its tier comes from expected.json.")
        Path bundle;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the generated organisation and of the random choice of principals, any 64-bit"
                    + " integer (default: ${DEFAULT-VALUE}). With --bundle it sets only the choice of principals.")
    long seed;

    @Option(names = "--work", paramLabel = "DIR",
            description = "New or empty folder for the organisation and the database, kept after the run"
                    + " (default: a temporary folder, deleted at the end).")
    Path work;

    @Option(names = "--out", paramLabel = "FILE",
            description = "JSON file for the result (default: nhigraph-benchmark-TIER.json in the current folder).")
    Path out;

    @Option(names = "--blast-radius-samples", paramLabel = "N", defaultValue = "" + Benchmark.DEFAULT_BLAST_RADIUS_SAMPLES,
            description = "Number of timed blast radius calls (default: ${DEFAULT-VALUE}).")
    int blastRadiusSamples;

    @Option(names = "--path-samples", paramLabel = "N", defaultValue = "" + Benchmark.DEFAULT_PATH_SAMPLES,
            description = "Number of timed paths-to-admin calls (default: ${DEFAULT-VALUE}).")
    int pathSamples;

    @Option(names = "--page-cache", paramLabel = "SIZE",
            description = "Memory for the embedded database's page cache, such as 512m (default: Neo4j's, sized from"
                    + " the machine's memory). The peak resident memory the result reports includes it.")
    String pageCache;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (out != null && Files.isDirectory(out)) {
            throw new BadInputException("--out " + out + " is a folder. Give a file name for the JSON result.");
        }
        Long pageCacheBytes = pageCache == null ? null : DatabaseOptions.pageCacheBytes(pageCache);
        Benchmark.Options options = new Benchmark.Options(source.tier, source.bundle, seed, work, blastRadiusSamples,
                pathSamples, pageCacheBytes, commandLine());
        BenchmarkResult result;
        try (Progress progress = new Progress(System.err)) {
            result = Benchmark.run(options, progress);
        }
        Path file = out != null ? out : Path.of("nhigraph-benchmark-" + result.organisation().tier() + ".json");
        BenchmarkReport.write(result, file);
        System.out.println(BenchmarkReport.summary(result));
        System.out.println("Result written to " + file);
        if (result.planted().passed() < result.planted().checks()) {
            System.err.println("nhigraph benchmark: " + (result.planted().checks() - result.planted().passed()) + " of "
                    + result.planted().checks() + " planted answers are wrong (" + result.planted().percent()
                    + " %, 100 % required); they are listed above and in " + file + ".");
            return Main.EXIT_FAILURE;
        }
        return 0;
    }

    /** Returns the command as the user typed it, with arguments that contain spaces quoted. */
    private String commandLine() {
        // The parse result of a subcommand contains the whole command line, the subcommand's name included.
        List<String> words = new ArrayList<>(List.of("nhigraph"));
        for (String argument : spec.commandLine().getParseResult().originalArgs()) {
            words.add(argument.contains(" ") ? "'" + argument + "'" : argument);
        }
        return String.join(" ", words);
    }
}
