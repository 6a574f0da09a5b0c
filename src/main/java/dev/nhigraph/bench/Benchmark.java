package dev.nhigraph.bench;

import dev.nhigraph.BadInputException;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.analysis.AdminReachability;
import dev.nhigraph.analysis.AwsAuthorization;
import dev.nhigraph.analysis.AwsProjection;
import dev.nhigraph.analysis.AwsProjection.PrincipalNode;
import dev.nhigraph.analysis.BlastRadius;
import dev.nhigraph.analysis.GraphService;
import dev.nhigraph.analysis.LoadService;
import dev.nhigraph.analysis.LoadService.LoadResult;
import dev.nhigraph.analysis.PathSearch;
import dev.nhigraph.bench.BenchmarkResult.Analysis;
import dev.nhigraph.bench.BenchmarkResult.BlastRadiusRun;
import dev.nhigraph.bench.BenchmarkResult.Load;
import dev.nhigraph.bench.BenchmarkResult.PathsRun;
import dev.nhigraph.bench.BenchmarkResult.Planted;
import dev.nhigraph.bench.BenchmarkResult.Reachability;
import dev.nhigraph.db.EmbeddedNeo4j;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.generate.Tier;
import dev.nhigraph.policy.AccessSummarizer;
import dev.nhigraph.policy.ActionCatalog;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One benchmark run on a synthetic organisation: generate it (or take a generated one), load it into a fresh
 * embedded Neo4j, run the analysis, time the queries on randomly chosen principals, record peak memory, and check
 * the planted ground truth.
 *
 * <p>Everything runs in this JVM, the embedded Neo4j included, so the memory peaks cover both. The random choice of
 * principals comes from {@code java.util.Random} with the run's seed, so the same seed times the same principals.
 */
public final class Benchmark {

    public static final int DEFAULT_BLAST_RADIUS_SAMPLES = 1_000;
    public static final int DEFAULT_PATH_SAMPLES = 100;
    /** Untimed calls before each timed series, so that the first calls' class loading and JIT do not count. */
    public static final int WARMUP_CALLS = 10;
    static final String ORGANISATION_FOLDER = "organisation";
    static final String DATABASE_FOLDER = "neo4j";

    private static final Logger log = LoggerFactory.getLogger(Benchmark.class);

    /**
     * The options of one run.
     *
     * @param tier         the tier to generate; null when {@code bundleFolder} is given
     * @param bundleFolder a folder written by {@code nhigraph generate} (bundle/ and expected.json), or null
     * @param seed         the seed of the generated organisation and of the random choice of principals
     * @param work         a new or empty folder to keep the organisation and the database in, or null for a
     *                     temporary folder that is deleted at the end
     * @param pageCacheBytes the page cache of the embedded database, or null for Neo4j's default
     * @param command      the command line, for the result
     */
    public record Options(Tier tier, Path bundleFolder, long seed, Path work, int blastRadiusSamples, int pathSamples,
                          Long pageCacheBytes, String command) {
    }

    private final Options options;
    private final Consumer<String> progress;

    private Benchmark(Options options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * Runs the benchmark.
     *
     * @param progress receives a line per stage, for the terminal
     * @throws BadInputException when the work folder is not empty or the given organisation is incomplete
     */
    public static BenchmarkResult run(Options options, Consumer<String> progress) {
        if (options.blastRadiusSamples() < 1 || options.pathSamples() < 1) {
            throw new BadInputException("The number of blast radius and path samples must be at least 1, got "
                    + options.blastRadiusSamples() + " and " + options.pathSamples() + ".");
        }
        return new Benchmark(options, progress).run();
    }

    private BenchmarkResult run() {
        long started = System.nanoTime();
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Machine machine = Machine.describe();
        GitCommit commit = GitCommit.ofThisRun();
        try (WorkFolder work = WorkFolder.open(options.work()); MemoryWatch memory = MemoryWatch.start()) {
            PreparedOrganisation prepared = prepare(work);

            stage("starting the embedded Neo4j in " + work.resolve(DATABASE_FOLDER));
            long neo4jStarted = System.nanoTime();
            try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(work.resolve(DATABASE_FOLDER), 0, options.pageCacheBytes());
                 GraphStore store = GraphStore.connect(neo4j.boltUri(), neo4j.authToken()).countCommitsWith(neo4j::commits)) {
                store.applySchema();
                double neo4jStartSeconds = Timing.secondsSince(neo4jStarted);

                Loaded loaded = load(store, prepared.bundle());
                Load load = loaded.load();
                Measured measured = analyse(store, loaded);
                BlastRadiusRun blastRadius = timeBlastRadius(measured.graph(), measured.pool());
                PathsRun paths = timePathsToAdmin(measured.reachability(), measured.pool());

                stage("checking the planted answers");
                PlantedAnswers.Outcome outcome = PlantedAnswers.check(prepared.expected(), measured.graph(),
                        measured.projection(), measured.reachability());
                Planted planted = new Planted(outcome.checks(), outcome.passed(), outcome.percent(), outcome.checksByKind(),
                        outcome.failures());
                log.info("Benchmark stage planted answers: {} of {} checks passed", outcome.passed(), outcome.checks());

                MemoryWatch.Peaks peaks = memory.peaks();
                return new BenchmarkResult(BenchmarkResult.SCHEMA, date, commit.commit(), commit.uncommittedChanges(),
                        options.command(), machine, Machine.loadAverage(), prepared.organisation(), neo4jStartSeconds,
                        load, measured.analysis(), measured.reachabilityResult(), blastRadius, paths, peaks, planted,
                        Targets.evaluate(prepared.tier(), load, measured.reachabilityResult(), blastRadius, paths, peaks, planted),
                        Timing.secondsSince(started));
            }
        }
    }

    private PreparedOrganisation prepare(WorkFolder work) {
        if (options.bundleFolder() != null) {
            return PreparedOrganisation.given(options.bundleFolder());
        }
        stage("generating tier " + options.tier() + " with seed " + options.seed());
        PreparedOrganisation generated = PreparedOrganisation.generate(options.tier(), options.seed(),
                work.resolve(ORGANISATION_FOLDER));
        log.info("Benchmark stage generation: tier {} seed {}, {} files in {} s", options.tier(), options.seed(),
                generated.organisation().files(), generated.organisation().generationSeconds());
        return generated;
    }

    /** The load as measured, and LoadService's own result with the counts of what it read and derived. */
    private record Loaded(Load load, LoadResult result) {
    }

    private Loaded load(GraphStore store, Path bundle) {
        StageClock clock = new StageClock(progress);
        long started = System.nanoTime();
        LoadResult result = new LoadService(store).load(List.of(bundle), clock);
        long ended = System.nanoTime();
        double seconds = Timing.seconds(ended - started);

        Map<String, Long> nodesByLabel = new TreeMap<>();
        Map<String, Long> relationshipsByType = new TreeMap<>();
        long[] totals = store.read(tx -> {
            tx.run("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS c")
                    .forEachRemaining(r -> nodesByLabel.put(r.get("label").asString(), r.get("c").asLong()));
            tx.run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS c")
                    .forEachRemaining(r -> relationshipsByType.put(r.get("type").asString(), r.get("c").asLong()));
            long nodes = tx.run("MATCH (n) RETURN count(n) AS c").single().get("c").asLong();
            long relationships = tx.run("MATCH ()-[r]->() RETURN count(r) AS c").single().get("c").asLong();
            return new long[] {nodes, relationships};
        });
        log.info("Benchmark stage load: {} nodes and {} relationships in {} s", totals[0], totals[1], seconds);
        // LoadService times its own stages; the derive stage is CAN_ASSUME, CAN_ACCESS and CAN_ESCALATE together.
        LoadService.StageTimes stages = result.stages();
        Double readSeconds = stages.readMillis() / 1000.0;
        Double writeSeconds = stages.writeMillis() / 1000.0;
        Double deriveSeconds = (stages.assumeMillis() + stages.accessMillis() + stages.escalateMillis()) / 1000.0;
        long written = totals[1] - relationshipsByType.getOrDefault("CAN_ASSUME", 0L) - relationshipsByType.getOrDefault("CAN_ACCESS", 0L)
                - relationshipsByType.getOrDefault("CAN_ESCALATE", 0L);
        return new Loaded(new Load(seconds, totals[0], totals[1], Timing.perSecond(totals[0], seconds),
                Timing.perSecond(totals[1], seconds), readSeconds, writeSeconds,
                deriveSeconds, writeSeconds == null ? 0 : Timing.perSecond(totals[0], writeSeconds),
                writeSeconds == null ? 0 : Timing.perSecond(written, writeSeconds), result.accounts(), result.users(), result.groups(), result.roles(),
                result.managedPolicies(), result.inlinePolicies(), result.resourcePolicies(), result.skipped().size(),
                result.warnings().size(), nodesByLabel, relationshipsByType), result);
    }

    /** The analysis results that the query stages use. */
    private record Measured(GraphService graph, AwsProjection projection, AdminReachability reachability,
                            Analysis analysis, Reachability reachabilityResult, List<String> pool) {
    }

    private Measured analyse(GraphStore store, Loaded loaded) {
        ActionCatalog catalog = ActionCatalog.loadDefault();
        GraphService graph = new GraphService(store, catalog);

        stage("reading the projection");
        long started = System.nanoTime();
        AwsProjection projection = graph.projection();
        double projectionSeconds = Timing.secondsSince(started);

        stage("finding the administrators");
        started = System.nanoTime();
        Map<String, Boolean> admins = AdminReachability.findAdmins(projection, graph.summaries());
        double adminSeconds = Timing.secondsSince(started);
        List<String> pool = usersAndRoles(projection);
        log.info("Benchmark stage admins: {} of {} users and roles in {} s", admins.size(), pool.size(), adminSeconds);

        stage("computing admin reachability of every principal");
        started = System.nanoTime();
        AdminReachability reachability = AdminReachability.of(projection, admins);
        Map<Integer, Integer> lengths = new TreeMap<>();
        Map<String, Integer> byKind = new TreeMap<>();
        int reaching = 0;
        int conditional = 0;
        for (PrincipalNode principal : projection.principals().values()) {
            PathSearch.Path witness = reachability.witness(principal.id());
            if (witness == null) {
                continue;
            }
            reaching++;
            conditional += witness.conditional() ? 1 : 0;
            lengths.merge(witness.length(), 1, Integer::sum);
            byKind.merge(String.valueOf(principal.kind()), 1, Integer::sum);
        }
        double reachabilitySeconds = Timing.secondsSince(started);
        log.info("Benchmark stage reachability: {} of {} principals reach an administrator, in {} s", reaching,
                projection.principals().size(), reachabilitySeconds);

        Analysis analysis = new Analysis(loaded.load().deriveSeconds(), loaded.result().canAssume(),
                loaded.result().canAccess(), projectionSeconds,
                projection.principals().size(), projection.assumeGraph().edgeSet().size(), adminSeconds, pool.size(),
                admins.size(), reachabilitySeconds, "not measured: the benchmark does not run `report`");
        Reachability reachabilityResult = new Reachability(reachabilitySeconds, projection.principals().size(), reaching,
                conditional, lengths, byKind);
        return new Measured(graph, projection, reachability, analysis, reachabilityResult, pool);
    }

    /** Returns the users and roles of the bundle, by id, so that the seeded choice does not depend on the load order. */
    private static List<String> usersAndRoles(AwsProjection projection) {
        List<String> pool = new ArrayList<>();
        for (PrincipalNode node : projection.principals().values()) {
            if (!node.external() && ("AwsUser".equals(node.kind()) || "AwsRole".equals(node.kind()))) {
                pool.add(node.id());
            }
        }
        pool.sort(Comparator.naturalOrder());
        return pool;
    }

    private BlastRadiusRun timeBlastRadius(GraphService graph, List<String> pool) {
        int samples = options.blastRadiusSamples();
        stage("timing " + samples + " blast radii");
        List<String> order = shuffled(pool, 1);
        for (int i = 0; i < WARMUP_CALLS; i++) {
            graph.blastRadius(order.get(i % order.size()), BlastRadius.DEFAULT_MAX_DEPTH);
        }
        long[] nanos = new long[samples];
        int truncated = 0;
        long principals = 0;
        for (int i = 0; i < samples; i++) {
            String id = order.get((WARMUP_CALLS + i) % order.size());
            long started = System.nanoTime();
            BlastRadius.Result radius = graph.blastRadius(id, BlastRadius.DEFAULT_MAX_DEPTH);
            nanos[i] = System.nanoTime() - started;
            truncated += radius.bounds().truncated() ? 1 : 0;
            principals += radius.summary().principals();
        }
        LatencySummary latency = LatencySummary.of(nanos);
        log.info("Benchmark stage blast radius: {} calls, p50 {} ms, p95 {} ms, p99 {} ms", samples, latency.p50Millis(),
                latency.p95Millis(), latency.p99Millis());

        // The share of the check for a new snapshot in each call: a query to Neo4j unless the store counts commits and
        // nothing was written since the last call.
        long[] snapshotNanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            long started = System.nanoTime();
            graph.projection();
            snapshotNanos[i] = System.nanoTime() - started;
        }
        return new BlastRadiusRun(BlastRadius.DEFAULT_MAX_DEPTH, pool.size(), WARMUP_CALLS, latency,
                LatencySummary.of(snapshotNanos), truncated, Math.round(principals * 10.0 / samples) / 10.0);
    }

    private PathsRun timePathsToAdmin(AdminReachability reachability, List<String> pool) {
        int samples = options.pathSamples();
        stage("timing paths to admin for " + samples + " principals");
        List<String> order = shuffled(pool, 2);
        for (int i = 0; i < WARMUP_CALLS; i++) {
            reachability.pathsToAdmin(order.get(i % order.size()), AdminReachability.DEFAULT_MAX_DEPTH,
                    AdminReachability.DEFAULT_MAX_PATHS);
        }
        long[] nanos = new long[samples];
        long[] nanosWithPaths = new long[samples];
        int withPaths = 0;
        int found = 0;
        int truncated = 0;
        for (int i = 0; i < samples; i++) {
            String id = order.get((WARMUP_CALLS + i) % order.size());
            long started = System.nanoTime();
            PathSearch.Paths paths = reachability.pathsToAdmin(id, AdminReachability.DEFAULT_MAX_DEPTH,
                    AdminReachability.DEFAULT_MAX_PATHS);
            nanos[i] = System.nanoTime() - started;
            if (!paths.paths().isEmpty()) {
                nanosWithPaths[withPaths++] = nanos[i];
            }
            found += paths.paths().size();
            truncated += paths.bounds().truncated() ? 1 : 0;
        }
        LatencySummary latency = LatencySummary.of(nanos);
        log.info("Benchmark stage paths to admin: {} calls, p50 {} ms, p95 {} ms, p99 {} ms", samples, latency.p50Millis(),
                latency.p95Millis(), latency.p99Millis());
        return new PathsRun(AdminReachability.DEFAULT_MAX_DEPTH, AdminReachability.DEFAULT_MAX_PATHS, pool.size(),
                WARMUP_CALLS, latency, LatencySummary.of(Arrays.copyOf(nanosWithPaths, withPaths)), withPaths, found, truncated);
    }

    /**
     * Returns the pool in a random order drawn from the run's seed. Each query stage passes its own {@code stream},
     * so each gets its own order and adding a stage does not change the others.
     */
    private List<String> shuffled(List<String> pool, int stream) {
        if (pool.isEmpty()) {
            throw new NhigraphException("The organisation has no users or roles to run queries on.");
        }
        List<String> order = new ArrayList<>(pool);
        Collections.shuffle(order, new Random(options.seed() * 31 + stream));
        return order;
    }

    private void stage(String line) {
        log.info("Benchmark stage: {}", line);
        progress.accept(line);
    }

}
