package dev.nhigraph.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Every number of one benchmark run, written as the JSON result. Durations are in seconds unless a name says
 * otherwise, memory in bytes.
 *
 * @param commit             {@code git rev-parse HEAD} of the working directory, or "unknown"
 * @param uncommittedChanges whether tracked files differed from that commit; null when unknown
 * @param command            the command line as given
 */
public record BenchmarkResult(String schema, String date, String commit, Boolean uncommittedChanges, String command,
                              Machine machine, double loadAverageEnd, Organisation organisation, double neo4jStartSeconds,
                              Load load, Analysis analysis, Reachability adminReachability, BlastRadiusRun blastRadius,
                              PathsRun pathsToAdmin, MemoryWatch.Peaks memory, Planted planted, List<Target> targets,
                              double totalSeconds) {

    /** The version of this JSON shape; a change of meaning gets a new number. */
    public static final String SCHEMA = "nhigraph-benchmark/1";

    /**
     * The organisation benchmarked.
     *
     * @param source            "generated", or "bundle" for an organisation given with --bundle
     * @param generationSeconds the time to generate it; null for --bundle
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Organisation(String tier, long seed, String source, String folder, Double generationSeconds, int files,
                               long bytes, int chains, int decoys, int queries) {
    }

    /**
     * The load through {@code LoadService}, from reading the files to the Snapshot. The stage times are the ones
     * {@code LoadService} measures: reading and parsing, writing to Neo4j, and deriving (projection read, CAN_ASSUME,
     * CAN_ACCESS and CAN_ESCALATE derived and written). Nodes and relationships are counted in Neo4j after the load, the
     * derived edges included, and the rates divide them by the whole load time.
     *
     * @param writeNodesPerSecond         every node over the write stage, which creates all of them
     * @param writeRelationshipsPerSecond the relationships other than CAN_ASSUME and CAN_ACCESS over the write stage
     */
    public record Load(double seconds, long nodes, long relationships, double nodesPerSecond, double relationshipsPerSecond,
                       Double readSeconds, Double writeSeconds, Double deriveSeconds, double writeNodesPerSecond,
                       double writeRelationshipsPerSecond, int accounts, int users, int groups,
                       int roles, int managedPolicies, int inlinePolicies, int resourcePolicies, int skipped, int warnings,
                       Map<String, Long> nodesByLabel, Map<String, Long> relationshipsByType) {
    }

    /**
     * The analysis: policy evaluation and derived edges (the derive stage of the load), the projection that queries
     * read, the administrators and the escalation paths to them.
     *
     * @param findings what the findings stage measured, or a note that it was not measured, because the benchmark does not run `report`
     */
    public record Analysis(Double deriveSeconds, int canAssumeEdges, int canAccessEdges, double projectionReadSeconds,
                           int projectionPrincipals, int projectionCanAssumeEdges, double adminSearchSeconds,
                           int usersAndRolesSummarised, int admins, double reachabilitySeconds, String findings) {
    }

    /**
     * Admin reachability of every principal of the projection, each with one witness path.
     *
     * @param seconds          both backwards searches and a witness built for every principal that reaches an administrator
     * @param witnessLengths   how many witnesses have each length, an administrator's own being 0
     * @param reachingByKind   principals that reach an administrator, by kind (AwsRole, AwsUser, ...)
     */
    public record Reachability(double seconds, int principals, int reaching, int conditionalWitnesses,
                               Map<Integer, Integer> witnessLengths, Map<String, Integer> reachingByKind) {
    }

    /**
     * Blast radius of randomly chosen users and roles through {@code GraphService.blastRadius}, the call behind
     * GET /api/blast-radius (which adds a principal lookup and the JSON encoding).
     *
     * @param pool                 the users and roles of the bundle to choose from; a sample larger than the pool
     *                             repeats it
     * @param warmupCalls          untimed calls before the timed ones
     * @param snapshotCheckLatency {@code GraphService.projection()} alone, timed as often as the blast radius: the
     *                             query for the latest Snapshot that every blast radius call makes first
     * @param truncated            timed calls that a bound cut short
     * @param meanPrincipals       mean number of principals in a blast radius, the root included
     */
    public record BlastRadiusRun(int maxDepth, int pool, int warmupCalls, LatencySummary latency,
                                 LatencySummary snapshotCheckLatency, int truncated, double meanPrincipals) {
    }

    /**
     * Paths to administrators from randomly chosen users and roles through {@code AdminReachability.pathsToAdmin}.
     *
     * @param latencyWithPaths the calls that found at least one path, since the call returns without a search for a
     *                         principal that reaches no administrator
     * @param withPaths        principals with at least one path
     * @param truncated        calls that a bound (depth, count or time) cut short
     */
    public record PathsRun(int maxDepth, int maxPaths, int pool, int warmupCalls, LatencySummary latency,
                           LatencySummary latencyWithPaths, int withPaths, int pathsFound, int truncated) {
    }

    /** The check of the planted ground truth; it must be 100 %. */
    public record Planted(int checks, int passed, double percent, Map<String, Integer> checksByKind, List<String> failures) {
    }

    /**
     * A target for this tier and whether the run met it.
     *
     * @param comparison "<=" when the measure must not exceed the limit, ">=" when it must reach it
     * @param limit      the target as a number, in the unit of the measure
     * @param measured   the value of this run, in the same unit
     */
    public record Target(String measure, String unit, String comparison, double limit, double measured, boolean met) {
    }
}
