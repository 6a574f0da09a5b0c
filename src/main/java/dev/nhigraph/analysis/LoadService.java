package dev.nhigraph.analysis;

import dev.nhigraph.BadInputException;
import dev.nhigraph.NhigraphException;
import dev.nhigraph.aws.AuthorizationDetails;
import dev.nhigraph.aws.AuthorizationDetailsParser;
import dev.nhigraph.aws.AwsGraphLoader;
import dev.nhigraph.aws.federation.IdentityProviderGraphWriter;
import dev.nhigraph.aws.usage.ServiceAccessGraphWriter;
import dev.nhigraph.aws.bundle.Bundle;
import dev.nhigraph.aws.bundle.BundleReader;
import dev.nhigraph.aws.compute.WorkloadGraphWriter;
import dev.nhigraph.aws.keys.AccessKeyGraphWriter;
import dev.nhigraph.aws.org.OrganizationGraphWriter;
import dev.nhigraph.aws.resource.ResourcePolicyGraphWriter;
import dev.nhigraph.policy.ActionCatalog;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.collect.CollectionGap;
import dev.nhigraph.db.GraphStore;
import dev.nhigraph.db.Messages;
import dev.nhigraph.db.SecretRedaction;
import dev.nhigraph.db.SnapshotCopy;
import dev.nhigraph.escalation.TechniqueCatalog;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.GcpRoleCatalog;
import dev.nhigraph.gcp.analysis.AttachedAccounts;
import dev.nhigraph.gcp.analysis.GcpAnalysis;
import dev.nhigraph.gcp.graph.GcpDerivedEdgeWriter;
import dev.nhigraph.gcp.graph.GcpGraphReader;
import dev.nhigraph.gcp.graph.GcpGraphWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One load: read the bundle's files (IAM authorization details, AWS Organizations data, resource policies),
 * validate them whole, write them in one transaction, then derive CAN_ASSUME and CAN_ACCESS and record the Snapshot.
 *
 * <p>Nothing is written before every file has parsed, so a bad file leaves the graph unchanged. The transaction that
 * writes the files also writes the {@link UnfinishedLoad} marker, and the one that records the Snapshot deletes it,
 * so readers can tell a graph whose load stopped between the two. The embedded database journals the first of them
 * ({@link dev.nhigraph.db.LoadJournal}) and undoes it on its next start; {@link #finishRestoredLoad} then derives the
 * edges of the previous snapshot again.
 */
public final class LoadService {

    /** The counts and gaps of one load, for the summary line and the Snapshot node. */
    public record LoadResult(String snapshotId, List<String> files, int accounts, int users, int groups, int roles,
                             int managedPolicies, int inlinePolicies, int canAssume, int resourcePolicies,
                             int canAccess, int canEscalate, int admins, boolean organization,
                             List<SkippedItem> skipped, List<String> warnings, long millis, StageTimes stages,
                             GcpLoad gcp, KeyLoad keys, List<CollectionGap> collectionGaps) {

        /** Returns the one-line summary printed at the end of load and scan. */
        public String summaryLine() {
            return "Loaded " + Messages.count(files.size(), "file", "files") + ": " + Messages.count(accounts, "account", "accounts")
                    + ", " + Messages.count(users, "user", "users") + ", " + Messages.count(roles, "role", "roles") + ", "
                    + Messages.count(groups, "group", "groups") + ", " + managedPolicies + " managed and "
                    + inlinePolicies + " inline policies"
                    + (organization ? ", an organization" : "")
                    + (resourcePolicies > 0 ? ", " + Messages.count(resourcePolicies, "resource policy", "resource policies") : "")
                    + keys.summary()
                    + "; the graph now has " + Messages.count(canAssume, "CAN_ASSUME edge", "CAN_ASSUME edges")
                    + (canAccess > 0 ? ", " + canAccess + " CAN_ACCESS edges to resources" : "")
                    + ", " + Messages.count(canEscalate, "CAN_ESCALATE edge", "CAN_ESCALATE edges")
                    + " and " + Messages.count(admins, "administrator", "administrators")
                    + gcp.summary()
                    + (skipped.isEmpty() ? "" : "; " + Messages.count(skipped.size(), "item", "items") + " skipped")
                    + (collectionGaps.isEmpty() ? "" : "; " + Messages.count(collectionGaps.size(), "collection gap",
                    "collection gaps"))
                    + " (snapshot " + snapshotId.substring(0, 12) + ", " + millis + " ms)";
        }
    }

    /**
     * The GCP part of a load: what the bundle held and what the GCP analysis derived over the whole graph.
     * {@code millis} is the time spent deriving it.
     */
    public record GcpLoad(int projects, int serviceAccounts, int keys, int customRoles, int bindings, int canImpersonate,
                          int canEscalate, int canAccess, int admins, long millis) {

        static final GcpLoad NONE = new GcpLoad(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        /** Returns the clause the summary line gets, or "" when the graph has no GCP facts. */
        String summary() {
            if (this.equals(NONE)) {
                return "";
            }
            return "; GCP: " + Messages.count(projects, "project", "projects") + ", "
                    + Messages.count(serviceAccounts, "service account", "service accounts") + ", "
                    + Messages.count(bindings, "binding", "bindings") + " read, and "
                    + Messages.count(canImpersonate, "CAN_IMPERSONATE edge", "CAN_IMPERSONATE edges") + ", "
                    + Messages.count(canEscalate, "CAN_ESCALATE edge", "CAN_ESCALATE edges") + " and "
                    + Messages.count(admins, "administrator", "administrators") + " in the graph";
        }
    }

    /**
     * The access keys and workloads of a load. {@code collectedAt} is the latest GeneratedTime of its credential
     * reports, or null.
     */
    public record KeyLoad(int reportUsers, int accessKeys, int workloads, String collectedAt) {

        /** Returns the clause the summary line gets, or "" when the bundle had no keys and no workloads. */
        String summary() {
            return (reportUsers > 0 ? ", " + Messages.count(reportUsers, "credential report row", "credential report rows") : "")
                    + (accessKeys > 0 ? ", " + Messages.count(accessKeys, "access key", "access keys") : "")
                    + (workloads > 0 ? ", " + Messages.count(workloads, "workload", "workloads") : "");
        }
    }

    /** Milliseconds spent in each stage of a load: parse the files, write them, derive CAN_ASSUME, CAN_ACCESS and CAN_ESCALATE. */
    public record StageTimes(long readMillis, long writeMillis, long assumeMillis, long accessMillis, long escalateMillis) {
    }

    /** How far a load has come, for the message of a command that is stopped during it. */
    public enum Phase {
        /** Nothing written yet. */
        NOT_STARTED,
        /** The transaction that stores the files and the marker runs its statements; stopping now rolls it back. */
        STORING_FACTS,
        /** That transaction has run its last statement and commits; stopping now may or may not roll it back. */
        COMMITTING_FACTS,
        /** The files and the marker are committed; the derived edges and the Snapshot are not yet. */
        DERIVING,
        /** The Snapshot is recorded and the marker deleted. */
        FINISHED
    }

    private static final Logger log = LoggerFactory.getLogger(LoadService.class);

    private final GraphStore store;
    private volatile Phase phase = Phase.NOT_STARTED;
    private volatile boolean hadSnapshot;
    private volatile String derivingStage = "CAN_ASSUME";
    private boolean keepMissingPrincipals;

    public LoadService(GraphStore store) {
        this.store = store;
    }

    /**
     * Keeps the stored users, groups and roles that this load's IAM exports do not list. By default an account's
     * export replaces its principals, because `aws iam get-account-authorization-details` lists all of them, so the
     * ones it lacks were deleted. An export that contains only part of an account needs this instead.
     */
    public LoadService keepMissingPrincipals(boolean keep) {
        this.keepMissingPrincipals = keep;
        return this;
    }

    /** Returns how far the current or last load of this service has come; safe to call from another thread. */
    public Phase phase() {
        return phase;
    }

    /**
     * Returns the derived edges the load is deriving now or derived last, such as "CAN_ACCESS"; safe to call from
     * another thread.
     */
    public String derivingStage() {
        return derivingStage;
    }

    /**
     * Returns whether the graph had a Snapshot when the current or last load began to store its files, so that a
     * message about an interrupted load can tell whether a previous snapshot remains.
     */
    public boolean hadSnapshot() {
        return hadSnapshot;
    }

    /**
     * Loads the files and folders in {@code paths}; a folder contributes every {@code .json} and {@code .csv} file
     * under it.
     *
     * @param progress receives a line per stage, for the terminal; may ignore it
     * @throws BadInputException when a file is not a usable export; nothing is written then
     */
    public LoadResult load(List<Path> paths, Consumer<String> progress) {
        return load(prepare(paths), progress);
    }

    /**
     * Input files read, parsed and checked, ready to be written; {@code readMillis} is the time this took.
     *
     * <p>{@link LoadService#load(PreparedLoad, Consumer)} takes the bundle out, so that the parsed files can be
     * collected once they are written, even while the caller keeps a reference to this object. The GCP analysis then works on a
     * copy read back from Neo4j, and two copies of a large inventory do not fit the heap together. A prepared load
     * can therefore be loaded once.
     */
    public static final class PreparedLoad {

        private final List<Path> files;
        private final String snapshotId;
        private final long readMillis;
        private Bundle bundle;

        public PreparedLoad(List<Path> files, Bundle bundle, String snapshotId, long readMillis) {
            this.files = files;
            this.bundle = bundle;
            this.snapshotId = snapshotId;
            this.readMillis = readMillis;
        }

        public List<Path> files() {
            return files;
        }

        public String snapshotId() {
            return snapshotId;
        }

        public long readMillis() {
            return readMillis;
        }

        /**
         * Returns the parsed files.
         *
         * @throws IllegalStateException when this load was already written, which releases the bundle
         */
        public synchronized Bundle bundle() {
            if (bundle == null) {
                throw new IllegalStateException("The bundle of snapshot " + snapshotId + " was released when it was"
                        + " loaded; prepare the files again to load them again.");
            }
            return bundle;
        }

        /** Returns the parsed files and drops this object's reference to them. */
        private synchronized Bundle takeBundle() {
            Bundle parsed = bundle();
            bundle = null;
            return parsed;
        }
    }

    /**
     * Reads and checks the input without touching the graph, so commands can reject bad input before they open or
     * create a database.
     *
     * @throws BadInputException when a file is missing, unreadable or not a usable export
     */
    public static PreparedLoad prepare(List<Path> paths) {
        long started = System.nanoTime();
        List<Path> files = expand(paths);
        Bundle bundle = BundleReader.read(files);
        if (bundle.iam() == null && bundle.organization() == null && bundle.resourcePolicies().isEmpty()
                && bundle.accessKeys().isEmpty() && bundle.workloads().isEmpty() && bundle.identityProviders().isEmpty()
                && bundle.gcp().isEmpty()) {
            throw new BadInputException("None of the " + files.size() + " input files is an export nhigraph reads: "
                    + bundle.skippedFiles().stream().map(s -> s.file() + " (" + s.reason() + ")").toList()
                    + ". Give the JSON output of `aws iam get-account-authorization-details`, of gcloud commands such"
                    + " as `gcloud asset search-all-iam-policies --scope=organizations/ORGANIZATION_ID --format=json`,"
                    + " or the other AWS CLI and gcloud outputs described in docs/offline-bundle.md."
                    + collectionGapsNote(bundle));
        }
        return new PreparedLoad(files, bundle, snapshotId(files), (System.nanoTime() - started) / 1_000_000);
    }

    /** Returns the sentence that names a collection's gaps, which may be why a collected bundle is empty, or "". */
    private static String collectionGapsNote(Bundle bundle) {
        List<CollectionGap> gaps = bundle.collectionGaps();
        if (gaps.isEmpty()) {
            return "";
        }
        return " The bundle's collection-gaps.json lists " + Messages.count(gaps.size(), "call", "calls")
                + " that gave nothing, such as " + gaps.get(0).describe() + ". Check the collector's permissions; for AWS,"
                + " collectors/aws/nhigraph-collector-policy.json lists them.";
    }

    /** Writes a prepared load and derives the edges; see {@link #load(List, Consumer)}. */
    public LoadResult load(PreparedLoad prepared, Consumer<String> progress) {
        long read = System.nanoTime();
        long started = read - prepared.readMillis() * 1_000_000;
        List<Path> files = prepared.files();
        Bundle bundle = prepared.takeBundle();
        progress.accept("read " + files.size() + (files.size() == 1 ? " file" : " files"));
        AuthorizationDetails details = bundle.iam() == null ? new AuthorizationDetails() : bundle.iam();
        String snapshotId = prepared.snapshotId();

        progress.accept("writing " + details.principalCount() + " principals, "
                + (details.policies().size() + details.inlinePolicyCount()) + " IAM policies and "
                + bundle.resourcePolicies().size() + " resource policies to Neo4j");
        AwsGraphLoader loader = new AwsGraphLoader(details, snapshotId).keepMissingPrincipals(keepMissingPrincipals);
        OrganizationGraphWriter organizationWriter = bundle.organization() == null ? null
                : new OrganizationGraphWriter(bundle.organization(), snapshotId);
        ResourcePolicyGraphWriter resourceWriter = new ResourcePolicyGraphWriter(bundle.resourcePolicies(), snapshotId);
        AccessKeyGraphWriter keyWriter = new AccessKeyGraphWriter(bundle.accessKeys(), snapshotId);
        WorkloadGraphWriter workloadWriter = new WorkloadGraphWriter(bundle.workloads(), snapshotId);
        IdentityProviderGraphWriter providerWriter = new IdentityProviderGraphWriter(bundle.identityProviders(), snapshotId);
        ServiceAccessGraphWriter serviceAccessWriter = new ServiceAccessGraphWriter(bundle.serviceAccess(), snapshotId);
        List<String> fileNames = files.stream().map(Path::toString).toList();
        UnfinishedLoad.Marker earlier = storeFacts(snapshotId, fileNames, loader, organizationWriter,
                List.of(resourceWriter::writeAll, keyWriter::writeAll, workloadWriter::writeAll, providerWriter::writeAll,
                        serviceAccessWriter::writeAll), bundle.gcp());
        phase = Phase.DERIVING;
        List<String> warnings = new ArrayList<>(details.warnings());
        if (earlier != null && !earlier.snapshotId().equals(snapshotId)) {
            warnings.add(UnfinishedLoad.describe(earlier) + " The principals and policies it stored stay in the graph,"
                    + " and this load derived their edges, but no Snapshot records those files; load them again to"
                    + " record them, or use a new --data-dir to leave them out.");
        }
        warnings.addAll(loader.warnings());
        warnings.addAll(keyWriter.warnings());
        warnings.addAll(bundle.warnings());
        warnings.addAll(bundle.gcp().warnings());
        if (organizationWriter != null) {
            warnings.addAll(organizationWriter.warnings());
        }
        // The command line prints the warnings; the log keeps them for the server and for --verbose runs.
        warnings.forEach(warning -> log.info("Load warning: {}", warning));
        List<SkippedItem> skipped = new ArrayList<>(details.skipped());
        skipped.addAll(bundle.skippedFiles());
        skipped.addAll(bundle.gcp().skipped());
        long written = System.nanoTime();
        log.info("Stage write: {} AWS principals, {} AWS policies, {} GCP service accounts and {} GCP bindings stored in {} ms",
                details.principalCount(), details.policies().size() + details.inlinePolicyCount(),
                bundle.gcp().serviceAccounts().size(), bundle.gcp().bindings().size(), (written - read) / 1_000_000);

        // The bundle is released here, so that its GCP inventory can be collected before the analyses read the
        // graph's copy.
        BundleCounts counts = BundleCounts.of(bundle);
        bundle = null;

        Derived derived;
        // Another nhigraph on the same Neo4j, or the server that owns it, undoes a load whose marker stops getting stamps.
        try (LoadHeartbeat heartbeat = LoadHeartbeat.start(store, snapshotId)) {
            derived = deriveEdges(counts, progress, warnings);
        } catch (RuntimeException e) {
            throw undoAfterFailure(e, snapshotId);
        }
        long gcpDone = System.nanoTime();

        long millis = (gcpDone - started) / 1_000_000;
        StageTimes stages = new StageTimes((read - started) / 1_000_000, (written - read) / 1_000_000,
                derived.assumeMillis(), derived.accessMillis(), derived.escalateMillis());
        LoadResult result = new LoadResult(snapshotId, fileNames,
                details.accounts().size(), details.users().size(), details.groups().size(), details.roles().size(),
                details.policies().size(), details.inlinePolicyCount(), derived.canAssume(), counts.resourcePolicies(),
                derived.canAccess(), derived.canEscalate(), derived.admins(), counts.organization(),
                skipped, warnings, millis, stages, derived.gcp(),
                new KeyLoad(counts.credentialReportUsers(), counts.accessKeys(), counts.workloads(), counts.collectedAt()),
                counts.collectionGaps());
        recordSnapshot(result);
        phase = Phase.FINISHED;
        if (store.keepsSnapshotCopy()) {
            SnapshotCopy.delete(store);
        }
        log.info("{}", result.summaryLine());
        return result;
    }

    /** The edges derived over the whole graph, and the time each AWS stage took. */
    private record Derived(int canAssume, int canAccess, int canEscalate, int admins, GcpLoad gcp,
                           long assumeMillis, long accessMillis, long escalateMillis) {
    }

    /**
     * Deletes and derives CAN_ASSUME, CAN_ACCESS, CAN_ESCALATE, the administrator marks and the GCP edges over every
     * fact in the graph.
     */
    private Derived deriveEdges(BundleCounts counts, Consumer<String> progress, List<String> warnings) {
        long started = System.nanoTime();
        if (!containsAwsFacts()) {
            // Over the 112,689 GCP principals of tier L's GCP half the AWS stages took 6 to 8 s and derived nothing.
            // The GCP writer clears the steps and marks that the AWS writers would have cleared.
            log.info("Stages CAN_ASSUME, CAN_ACCESS and CAN_ESCALATE skipped: the graph contains no AWS principal,"
                    + " policy or resource");
            derivingStage = "GCP";
            return new Derived(0, 0, 0, 0, deriveGcp(counts, progress, warnings), 0, 0, 0);
        }
        progress.accept("deriving CAN_ASSUME, CAN_ACCESS and CAN_ESCALATE");
        derivingStage = "CAN_ASSUME";
        AwsProjection projection = AwsProjection.read(store);
        List<AwsProjection.AssumeEdge> edges = AssumeRoleAnalysis.derive(projection);
        AssumeRoleAnalysis.write(store, projection, edges);
        long assumed = System.nanoTime();
        log.info("Stage CAN_ASSUME: {} edges derived and stored in {} ms", edges.size(), (assumed - started) / 1_000_000);
        derivingStage = "CAN_ACCESS";
        ResourceAccessAnalysis.Result access = ResourceAccessAnalysis.derive(projection, ActionCatalog.loadDefault());
        ResourceAccessAnalysis.write(store, access);
        long accessed = System.nanoTime();
        log.info("Stage CAN_ACCESS: {} edges derived and stored in {} ms, {} of them to {} resource sets",
                access.relationships(), (accessed - assumed) / 1_000_000, access.setEdges().size(), access.sets().size());
        derivingStage = "CAN_ESCALATE";
        EscalationAnalysis.Result escalation = EscalationAnalysis.derive(projection, edges, TechniqueCatalog.loadDefault(),
                ActionCatalog.loadDefault(), EscalationAnalysis.readSingleVersionPolicies(store));
        EscalationAnalysis.write(store, escalation);
        long escalated = System.nanoTime();
        log.info("Stage CAN_ESCALATE: {} relationships and {} administrators derived and stored in {} ms", escalation.relationships(),
                escalation.admins().size(), (escalated - accessed) / 1_000_000);

        derivingStage = "GCP";
        GcpLoad gcp = deriveGcp(counts, progress, warnings);
        return new Derived(edges.size(), access.pairs(), escalation.relationships(), escalation.admins().size(),
                gcp, (assumed - started) / 1_000_000, (accessed - assumed) / 1_000_000, (escalated - accessed) / 1_000_000);
    }

    /**
     * Returns whether the graph contains an AWS fact or an edge derived from one: a principal that is not a GCP service
     * account or member, an AWS policy or resource, or a set that the AWS stages write.
     */
    private boolean containsAwsFacts() {
        return store.read(tx -> {
            if (tx.run("""
                    MATCH (p:Principal) WHERE NOT coalesce(p.kind, '') IN ['GcpServiceAccount', 'GcpMember']
                    RETURN p.id LIMIT 1""").hasNext()) {
                return true;
            }
            // One label at a time, so that each is a label scan that stops at the first node.
            for (String label : List.of("AwsPolicy", "AwsResource", "AwsResourceSet", "AssumeTargetSet", "EscalationTargetSet")) {
                if (tx.run("MATCH (n:" + label + ") RETURN 1 LIMIT 1").hasNext()) {
                    return true;
                }
            }
            return tx.run("MATCH ()-[e:CAN_ASSUME]->() RETURN 1 LIMIT 1").hasNext();
        });
    }

    /**
     * Undoes the stored facts of the load of {@code snapshotId}: from its snapshot copy when it kept one (a load into
     * an external Neo4j), or else by the store's undo, which applies the embedded database's journal.
     *
     * @return whether the facts are the previous snapshot's again and the marker is {@code restored}
     */
    private boolean undoFacts(String snapshotId) {
        if (SnapshotCopy.exists(store, snapshotId)) {
            SnapshotCopy.restore(store, snapshotId);
            return true;
        }
        return store.undoUnfinishedLoad();
    }

    /**
     * Returns the graph to the previous snapshot after this load failed with its facts stored, when the facts can be
     * undone (the embedded journal, or the snapshot copy of an external Neo4j), and returns the error to throw.
     */
    private RuntimeException undoAfterFailure(RuntimeException failure, String snapshotId) {
        try {
            if (!undoFacts(snapshotId)) {
                return failure;
            }
            finishRestoredLoad(stage -> { });
            log.warn("Load of snapshot {} failed after it stored its files; the graph is back at the previous snapshot",
                    snapshotId.substring(0, 12));
            return new NhigraphException(Messages.sentence(failure.getMessage()) + " The load's files were undone, and"
                    + " the graph is back at the snapshot before this load.", failure);
        } catch (RuntimeException undoFailure) {
            log.warn("Load of snapshot {} failed, and undoing its files failed too: {}", snapshotId.substring(0, 12),
                    undoFailure.getMessage());
            failure.addSuppressed(undoFailure);
            return failure;
        }
    }

    /**
     * Returns the graph to the snapshot before a load that stopped with its facts stored: undoes the facts, unless
     * the embedded database did so when it started, derives every edge over the restored facts and deletes the
     * marker. No Snapshot is recorded, since the graph is again the one the latest recorded Snapshot describes.
     *
     * <p>A load whose marker was stamped within {@link LoadHeartbeat#staleMillis()} may still run in another process
     * or thread and is left alone. The others are undone as {@link #undoFacts} describes.
     *
     * @return the message for the user, or null when nothing was undone
     */
    public String finishRestoredLoad(Consumer<String> progress) {
        UnfinishedLoad.Marker marker = UnfinishedLoad.find(store);
        if (marker == null) {
            if (store.keepsSnapshotCopy()) {
                // A load that finished but died before it deleted its copy leaves it behind.
                SnapshotCopy.delete(store);
            }
            return null;
        }
        long started = System.nanoTime();
        if (!marker.restored()) {
            long age = UnfinishedLoad.heartbeatAgeMillis(store);
            if (age < LoadHeartbeat.staleMillis()) {
                log.info("{} Its marker was stamped {} ms ago, so it may still be running; it is undone once {} ms pass"
                        + " without a stamp", UnfinishedLoad.describe(marker), age, LoadHeartbeat.staleMillis());
                return null;
            }
            if (!undoFacts(marker.snapshotId())) {
                return null;
            }
        }
        log.info("Restoring the previous snapshot: {} Its facts are undone; deriving the edges again", UnfinishedLoad.describe(marker));
        List<String> warnings = new ArrayList<>();
        Derived derived = deriveEdges(BundleCounts.NONE, progress, warnings);
        store.write(tx -> {
            UnfinishedLoad.finish(tx);
            return null;
        });
        phase = Phase.FINISHED;
        long millis = (System.nanoTime() - started) / 1_000_000;
        log.info("Previous snapshot restored in {} ms: {} CAN_ASSUME, {} CAN_ACCESS and {} CAN_ESCALATE edges derived again",
                millis, derived.canAssume(), derived.canAccess(), derived.canEscalate());
        return UnfinishedLoad.describe(marker) + " It was interrupted, so the graph was returned to the snapshot before"
                + " it: its facts were undone and the edges derived again in " + millis + " ms.";
    }

    /**
     * Writes the files and the UnfinishedLoad marker in one transaction and returns the marker it replaced. The GCP
     * writer lives only in this method, so that no reference to the bundle's GCP inventory remains once the caller drops its own.
     */
    private UnfinishedLoad.Marker storeFacts(String snapshotId, List<String> fileNames, AwsGraphLoader loader,
                                             OrganizationGraphWriter organizationWriter,
                                             List<Consumer<TransactionContext>> awsWriters, GcpInventory gcpFacts) {
        GcpGraphWriter gcpWriter = new GcpGraphWriter(gcpFacts, snapshotId);
        return store.write(tx -> {
            hadSnapshot = tx.run("MATCH (s:Snapshot) RETURN count(s) > 0 AS any").single().get("any").asBoolean();
            phase = Phase.STORING_FACTS;
            UnfinishedLoad.Marker replaced = UnfinishedLoad.begin(tx, snapshotId, fileNames);
            if (store.keepsSnapshotCopy()) {
                SnapshotCopy.write(tx, snapshotId);
            }
            // IAM first: the organization then adds account names to the account nodes that IAM created.
            loader.writeAll(tx);
            if (organizationWriter != null) {
                organizationWriter.writeAll(tx);
            }
            // Resource policies, access keys, workloads and identity providers, in that order: keys and workloads link to
            // IAM principals, and the providers mark the provider nodes that trust policies created.
            awsWriters.forEach(writer -> writer.accept(tx));
            gcpWriter.writeAll(tx);
            // The stamp of the marker's creation is as old as this transaction, which can run for minutes.
            tx.run("MATCH (m:LoadInProgress) SET m.heartbeatAt = timestamp()").consume();
            // The driver commits after this function returns.
            phase = Phase.COMMITTING_FACTS;
            return replaced;
        });
    }

    /**
     * Derives the GCP edges over every GCP fact in the graph, not only this bundle's, so projects loaded apart are
     * chained together. Conditions on {@code request.time} are decided against the snapshot time, as the report and
     * {@code can} decide them: when the bundle's credential report was generated, or else the time of this load.
     */
    private GcpLoad deriveGcp(BundleCounts bundleCounts, Consumer<String> progress, List<String> warnings) {
        long started = System.nanoTime();
        GcpInventory graphFacts = GcpGraphReader.read(store);
        if (graphFacts.isEmpty()) {
            return GcpLoad.NONE;
        }
        progress.accept("deriving GCP impersonation, escalation and access over " + graphFacts.bindings().size()
                + " bindings");
        Instant snapshotTime = GraphService.snapshotTime(bundleCounts.collectedAt(), Instant.now());
        GcpAnalysis.Result result = GcpAnalysis.derive(graphFacts, GcpRoleCatalog.loadDefault(), snapshotTime,
                new AttachedAccounts(graphFacts.runsAs()));
        warnings.addAll(result.warnings());
        GcpDerivedEdgeWriter.Counts counts = GcpDerivedEdgeWriter.write(store, graphFacts, result);
        long millis = (System.nanoTime() - started) / 1_000_000;
        log.info("Stage GCP: {} bindings analysed, {} steps and {} administrators stored in {} ms",
                graphFacts.bindings().size(), counts.impersonate() + counts.escalate(), counts.admins(), millis);
        return new GcpLoad(bundleCounts.gcpProjects(), bundleCounts.gcpServiceAccounts(), bundleCounts.gcpKeys(),
                bundleCounts.gcpCustomRoles(), bundleCounts.gcpBindingMembers(), counts.impersonate(), counts.escalate(),
                counts.access(), counts.admins(), millis);
    }

    /** The bundle's counts that the summary and the Snapshot report, taken before the bundle is released. */
    private record BundleCounts(int resourcePolicies, boolean organization, int gcpProjects, int gcpServiceAccounts,
                                int gcpKeys, int gcpCustomRoles, int gcpBindingMembers, int accessKeys, int workloads,
                                int credentialReportUsers, String collectedAt,
                                List<CollectionGap> collectionGaps) {

        static final BundleCounts NONE = new BundleCounts(0, false, 0, 0, 0, 0, 0, 0, 0, 0, null, List.of());

        static BundleCounts of(Bundle bundle) {
            GcpInventory gcp = bundle.gcp();
            long projects = gcp.resources().stream().filter(r -> GcpNames.PROJECT_TYPE.equals(r.assetType())).count();
            int bindingMembers = gcp.bindings().stream().mapToInt(b -> b.members().size()).sum();
            return new BundleCounts(bundle.resourcePolicies().size(), bundle.organization() != null, (int) projects,
                    gcp.serviceAccounts().size(), gcp.keys().size(), gcp.customRoles().size(), bindingMembers,
                    bundle.accessKeys().keys().size(), bundle.workloads().size(), bundle.accessKeys().users().size(),
                    bundle.accessKeys().collectedAt(), bundle.collectionGaps());
        }
    }

    private void recordSnapshot(LoadResult result) {
        List<String> skipped = result.skipped().stream()
                .map(s -> SecretRedaction.redact(s.file() + ": " + s.item() + ": " + s.reason())).toList();
        Map<String, Object> counts = Map.ofEntries(Map.entry("accounts", result.accounts()), Map.entry("users", result.users()),
                Map.entry("groups", result.groups()), Map.entry("roles", result.roles()),
                Map.entry("managedPolicies", result.managedPolicies()), Map.entry("inlinePolicies", result.inlinePolicies()),
                Map.entry("canAssume", result.canAssume()), Map.entry("resourcePolicies", result.resourcePolicies()),
                Map.entry("canAccess", result.canAccess()), Map.entry("canEscalate", result.canEscalate()),
                Map.entry("administrators", result.admins()),
                Map.entry("gcpProjects", result.gcp().projects()), Map.entry("gcpServiceAccounts", result.gcp().serviceAccounts()),
                Map.entry("gcpBindings", result.gcp().bindings()), Map.entry("canImpersonate", result.gcp().canImpersonate()),
                Map.entry("gcpAdministrators", result.gcp().admins()),
                Map.entry("accessKeys", result.keys().accessKeys()), Map.entry("workloads", result.keys().workloads()));
        long digestStarted = System.nanoTime();
        Map<String, List<String>> digest = SnapshotDigest.read(store);
        // Neo4j properties cannot hold maps, so each gap is stored as its one-line form.
        List<String> collectionGaps = result.collectionGaps().stream()
                .map(gap -> SecretRedaction.redact(gap.describe())).toList();
        store.write(tx -> {
            tx.run("""
                    MERGE (s:Snapshot {id: $id})
                    ON CREATE SET s.firstLoadedAt = $now, s.loads = 0
                    SET s.loadedAt = $now, s.source = 'aws-offline-bundle', s.files = $files, s.skipped = $skipped,
                        s.collectionGaps = $collectionGaps, s.loads = s.loads + 1, s.collectedAt = $collectedAt, s += $counts""",
                    Values.parameters("id", result.snapshotId(), "now", Instant.now().toString(), "files", result.files(),
                            "skipped", skipped, "counts", counts, "collectedAt", result.keys().collectedAt(), "collectionGaps", collectionGaps)).consume();
            SnapshotDigest.write(tx, result.snapshotId(), digest);
            UnfinishedLoad.finish(tx);
            return null;
        });
        int deleted = SnapshotDigest.prune(store, SnapshotDigest.DEFAULT_KEEP);
        log.info("Stage digest: snapshot {} recorded with {} items in {} ms; {} older snapshots deleted",
                result.snapshotId(), SnapshotDigest.size(digest), (System.nanoTime() - digestStarted) / 1_000_000, deleted);
    }

    /**
     * Returns the files to read: each file as given, and the {@code .json} files of each folder in name order, with
     * the {@code .csv} files, which can be decoded credential reports.
     */
    static List<Path> expand(List<Path> paths) {
        if (paths.isEmpty()) {
            throw new BadInputException("No input given. Name one or more files or folders of AWS CLI output, such as"
                    + " `aws iam get-account-authorization-details --output json`.");
        }
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    List<Path> json = walk.filter(Files::isRegularFile)
                            .filter(p -> isBundleFile(p.getFileName().toString().toLowerCase(java.util.Locale.ROOT)))
                            .sorted().toList();
                    if (json.isEmpty()) {
                        throw new BadInputException("Folder " + path + " contains no .json file to load.");
                    }
                    files.addAll(json);
                } catch (IOException e) {
                    throw new BadInputException("Failed to list folder " + path + ": " + e.getMessage(), e);
                }
            } else if (Files.exists(path)) {
                files.add(path);
            } else {
                throw new BadInputException(path + " does not exist. Check the path; give export files or the folder that holds them.");
            }
        }
        return files;
    }

    private static boolean isBundleFile(String lowerCaseName) {
        return lowerCaseName.endsWith(".json") || lowerCaseName.endsWith(".csv");
    }

    /** Returns the SHA-256 over the files' contents, independent of their order, so the same input is the same snapshot. */
    static String snapshotId(List<Path> files) {
        try {
            List<String> fileHashes = new ArrayList<>();
            for (Path file : files) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int read; (read = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, read);
                    }
                }
                fileHashes.add(HexFormat.of().formatHex(digest.digest()));
            }
            fileHashes.sort(null);
            MessageDigest combined = MessageDigest.getInstance("SHA-256");
            fileHashes.forEach(hash -> combined.update(hash.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            return HexFormat.of().formatHex(combined.digest());
        } catch (IOException e) {
            throw new BadInputException("Failed to read input: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new NhigraphException("SHA-256 is not available in this JVM", e);
        }
    }
}
