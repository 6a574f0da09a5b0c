package dev.nhigraph.gcp.collect;

import dev.nhigraph.collect.CollectionGapsFile;
import com.google.api.core.ApiFuture;
import com.google.api.gax.core.CredentialsProvider;
import com.google.cloud.asset.v1.SearchAllIamPoliciesRequest;
import com.google.cloud.asset.v1.SearchAllIamPoliciesResponse;
import com.google.cloud.asset.v1.SearchAllResourcesRequest;
import com.google.cloud.asset.v1.SearchAllResourcesResponse;
import com.google.cloud.resourcemanager.v3.Folder;
import com.google.cloud.resourcemanager.v3.GetFolderRequest;
import com.google.cloud.resourcemanager.v3.GetOrganizationRequest;
import com.google.cloud.resourcemanager.v3.GetProjectRequest;
import com.google.cloud.resourcemanager.v3.ListFoldersRequest;
import com.google.cloud.resourcemanager.v3.ListFoldersResponse;
import com.google.cloud.resourcemanager.v3.ListProjectsRequest;
import com.google.cloud.resourcemanager.v3.ListProjectsResponse;
import com.google.cloud.resourcemanager.v3.Organization;
import com.google.cloud.resourcemanager.v3.Project;
import com.google.iam.admin.v1.ListRolesRequest;
import com.google.iam.admin.v1.ListRolesResponse;
import com.google.iam.admin.v1.ListServiceAccountKeysRequest;
import com.google.iam.admin.v1.ListServiceAccountKeysResponse;
import com.google.iam.admin.v1.ListServiceAccountsRequest;
import com.google.iam.admin.v1.ListServiceAccountsResponse;
import com.google.iam.admin.v1.Role;
import com.google.iam.admin.v1.RoleView;
import com.google.iam.admin.v1.ServiceAccount;
import com.google.iam.admin.v1.ServiceAccountKey;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the IAM facts of a GCP organization, folder or project into an offline bundle folder, in the files and
 * formats that the gcloud commands of docs/offline-bundle.md print, so that loading the folder is the same code
 * path as loading a gcloud export.
 *
 * <p>The calls: Cloud Asset Inventory {@code searchAllIamPolicies} and {@code searchAllResources} at the scope;
 * Resource Manager for the organization, every folder below the scope and their projects; IAM admin for each
 * project's service accounts, each account's keys (metadata only) and the project's custom roles, deleted ones
 * included, and the custom roles of the organization that the scope is or is in. {@link GcpCall} lists them
 * with their permissions. Up to {@code parallelism} calls run at once. A call that fails for good leaves a
 * {@link CollectionGap} and the rest goes on; the gaps go to {@code collection-gaps.json} at the bundle root.
 */
public final class GcpCollector {

    /** The nhigraph version that collection-gaps.json names as the collector's. */
    public static final String VERSION = "0.1.0";

    private static final Logger log = LoggerFactory.getLogger(GcpCollector.class);
    private static final int SEARCH_PAGE_SIZE = 500;
    private static final int SERVICE_ACCOUNT_PAGE_SIZE = 100;
    private static final int ROLE_PAGE_SIZE = 1000;

    private final GcpCollectSettings settings;
    private final CredentialsProvider credentials;
    private final Consumer<String> stages;
    private final Consumer<String> status;

    private final List<Project> projects = Collections.synchronizedList(new ArrayList<>());
    private final List<Folder> folders = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger projectsDone = new AtomicInteger();
    private final AtomicInteger serviceAccounts = new AtomicInteger();
    private final AtomicInteger keys = new AtomicInteger();
    private final AtomicInteger customRoles = new AtomicInteger();
    private final AtomicInteger policies = new AtomicInteger();
    private final AtomicInteger resources = new AtomicInteger();
    private volatile String currentService = "";

    private CallRunner runner;
    private GcpClients clients;
    private BundleFiles files;
    private TaskGroup tasks;

    /**
     * @param settings the scope, credentials and limits of the run
     * @param stages   receives one line when a stage starts: hierarchy, asset search, per-project IAM
     * @param status   receives the live status line (projects done, current service, calls, retries) as it changes
     */
    public GcpCollector(GcpCollectSettings settings, Consumer<String> stages, Consumer<String> status) {
        this(settings, stages, status, null);
    }

    /** Collects with the given credentials in place of the ones the settings name; for tests. */
    GcpCollector(GcpCollectSettings settings, Consumer<String> stages, Consumer<String> status,
                 CredentialsProvider credentials) {
        this.settings = settings;
        this.stages = stages;
        this.status = status;
        this.credentials = credentials;
    }

    /** The counts of one collection, with its gaps. */
    public record Result(Path bundle, int organizations, int folders, int projects, int serviceAccounts, int keys,
                         int customRoles, int policies, int resources, long calls, long retries,
                         Map<GcpCall, Long> callsByMethod, List<CollectionGap> gaps, long millis) {

        /** Returns a one-line summary of counts and gaps, for the end of a run. */
        public String summaryLine() {
            return String.format("Collected %s: %d folders, %d projects, %d service accounts, %d keys, %d custom roles,"
                            + " %d IAM policies, %d resources in %.1f s (%d calls, %d retries, %d gaps).",
                    bundle, folders, projects, serviceAccounts, keys, customRoles, policies, resources,
                    millis / 1000.0, calls, retries, gaps.size());
        }
    }

    /** Collects into {@code bundle}, which must be an empty or new folder, and returns the counts and gaps. */
    public Result collect(Path bundle) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        runner = new CallRunner(settings);
        files = new BundleFiles(bundle);
        tasks = new TaskGroup(settings.parallelism());
        int organizations = 0;
        try (GcpClients opened = credentials == null ? GcpClients.create(settings) : GcpClients.create(settings, credentials)) {
            clients = opened;

            stage("Collecting the resource hierarchy and searching IAM policies and resources in " + settings.scope());
            tasks.submit(this::searchIamPolicies);
            tasks.submit(this::searchResources);
            organizations = collectScope();
            tasks.await();

            files.writeList("gcp/folders.json", folders);
            files.writeList("gcp/projects.json", projects);
        } finally {
            tasks.shutdown();
        }

        List<CollectionGap> gaps = runner.gaps();
        // The same file and writer as the AWS collector, so that one reader records both clouds' gaps on the Snapshot.
        CollectionGapsFile.write(files.root(), "nhigraph collect gcp", VERSION, started.truncatedTo(ChronoUnit.SECONDS),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), gaps.stream().map(GcpCollector::shared).toList());
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        Result result = new Result(bundle, organizations, folders.size(), projects.size(), serviceAccounts.get(),
                keys.get(), customRoles.get(), policies.get(), resources.get(), runner.totalCalls(), runner.retries(),
                runner.callCounts(), gaps, millis);
        log.info(result.summaryLine());
        return result;
    }

    /** Reads the scope's own organization, folder or project and starts the walk below it; returns 1 for an organization. */
    private int collectScope() {
        String scope = settings.scope();
        if (scope.startsWith("organizations/")) {
            Organization organization = runner.run(GcpCall.GET_ORGANIZATION, scope, () -> clients.organizations
                    .getOrganizationCallable().futureCall(GetOrganizationRequest.newBuilder().setName(scope).build()));
            if (organization != null) {
                files.writeList("gcp/organizations.json", List.of(organization));
            }
            tasks.submit(() -> collectRoles(scope));
            tasks.submit(() -> walk(scope));
            return organization == null ? 0 : 1;
        }
        if (scope.startsWith("folders/")) {
            Folder folder = runner.run(GcpCall.GET_FOLDER, scope, () -> clients.folders.getFolderCallable()
                    .futureCall(GetFolderRequest.newBuilder().setName(scope).build()));
            if (folder != null) {
                folders.add(folder);
            }
            tasks.submit(() -> walk(scope));
            return 0;
        }
        Project project = runner.run(GcpCall.GET_PROJECT, scope, () -> clients.projects.getProjectCallable()
                .futureCall(GetProjectRequest.newBuilder().setName(scope).build()));
        if (project != null) {
            projects.add(project);
        }
        String projectId = project == null ? scope.substring("projects/".length()) : project.getProjectId();
        tasks.submit(() -> collectProject(projectId));
        return 0;
    }

    /** Lists the folders and projects directly under {@code parent}, and starts the same for each folder. */
    private void walk(String parent) {
        List<Folder> children = pages(GcpCall.LIST_FOLDERS, parent,
                token -> () -> clients.folders.listFoldersCallable().futureCall(ListFoldersRequest.newBuilder()
                        .setParent(parent).setPageToken(token).build()),
                ListFoldersResponse::getFoldersList, ListFoldersResponse::getNextPageToken);
        folders.addAll(children);
        for (Folder child : children) {
            tasks.submit(() -> walk(child.getName()));
        }

        List<Project> found = pages(GcpCall.LIST_PROJECTS, parent,
                token -> () -> clients.projects.listProjectsCallable().futureCall(ListProjectsRequest.newBuilder()
                        .setParent(parent).setPageToken(token).build()),
                ListProjectsResponse::getProjectsList, ListProjectsResponse::getNextPageToken);
        projects.addAll(found);
        for (Project project : found) {
            tasks.submit(() -> collectProject(project.getProjectId()));
        }
        report();
    }

    private void searchIamPolicies() {
        String scope = settings.scope();
        Set<String> organizations = new TreeSet<>();
        try (BundleFiles.ListWriter file = files.openList("gcp/iam-policies.json")) {
            forEachPage(GcpCall.SEARCH_ALL_IAM_POLICIES, scope,
                    token -> () -> clients.asset.searchAllIamPoliciesCallable().futureCall(SearchAllIamPoliciesRequest
                            .newBuilder().setScope(scope).setPageSize(SEARCH_PAGE_SIZE).setPageToken(token).build()),
                    SearchAllIamPoliciesResponse::getResultsList, SearchAllIamPoliciesResponse::getNextPageToken,
                    page -> {
                        page.forEach(file::add);
                        page.forEach(result -> organizations.add(result.getOrganization()));
                        policies.addAndGet(page.size());
                    });
        }

        // Below an organization, bindings may grant the organization's custom roles, which only a role listing
        // of the organization gives. The search results name the organization of every resource.
        organizations.remove("");
        if (!scope.startsWith("organizations/")) {
            organizations.forEach(organization -> tasks.submit(() -> collectRoles(organization)));
        }
    }

    private void searchResources() {
        String scope = settings.scope();
        try (BundleFiles.ListWriter file = files.openList("gcp/resources.json")) {
            forEachPage(GcpCall.SEARCH_ALL_RESOURCES, scope,
                    token -> () -> clients.asset.searchAllResourcesCallable().futureCall(SearchAllResourcesRequest
                            .newBuilder().setScope(scope).setPageSize(SEARCH_PAGE_SIZE).setPageToken(token).build()),
                    SearchAllResourcesResponse::getResultsList, SearchAllResourcesResponse::getNextPageToken,
                    page -> {
                        page.forEach(file::add);
                        resources.addAndGet(page.size());
                    });
        }
    }

    /** Lists a project's service accounts and custom roles, and starts a key listing per account. */
    private void collectProject(String projectId) {
        String project = "projects/" + projectId;
        List<ServiceAccount> accounts = pages(GcpCall.LIST_SERVICE_ACCOUNTS, project,
                token -> () -> clients.iam.listServiceAccounts.futureCall(ListServiceAccountsRequest.newBuilder()
                        .setName(project).setPageSize(SERVICE_ACCOUNT_PAGE_SIZE).setPageToken(token).build()),
                ListServiceAccountsResponse::getAccountsList, ListServiceAccountsResponse::getNextPageToken);
        serviceAccounts.addAndGet(accounts.size());
        files.writeList("gcp/service-accounts/" + BundleFiles.fileName(projectId), accounts);
        for (ServiceAccount account : accounts) {
            tasks.submit(() -> collectKeys(project, account.getEmail()));
        }

        collectRoles(project);
        projectsDone.incrementAndGet();
        report();
    }

    private void collectKeys(String project, String email) {
        String account = project + "/serviceAccounts/" + email;
        ListServiceAccountKeysResponse response = runner.run(GcpCall.LIST_SERVICE_ACCOUNT_KEYS, project,
                () -> clients.iam.listServiceAccountKeys.futureCall(ListServiceAccountKeysRequest.newBuilder()
                        .setName(account).build()));
        if (response == null) {
            return;
        }
        // keys.list returns no private key; the fields are cleared anyway so that no key material can reach a file.
        List<ServiceAccountKey> metadata = response.getKeysList().stream()
                .map(key -> key.toBuilder().clearPrivateKeyData().clearPublicKeyData().build())
                .toList();
        keys.addAndGet(metadata.size());
        files.writeList("gcp/keys/" + BundleFiles.fileName(email), metadata);
        currentService = GcpCall.LIST_SERVICE_ACCOUNT_KEYS.service();
        report();
    }

    /** Lists the custom roles of an organization or project, with their permissions and the deleted ones. */
    private void collectRoles(String parent) {
        List<Role> roles = pages(GcpCall.LIST_ROLES, parent,
                token -> () -> clients.iam.listRoles.futureCall(ListRolesRequest.newBuilder().setParent(parent)
                        .setView(RoleView.FULL).setShowDeleted(true).setPageSize(ROLE_PAGE_SIZE).setPageToken(token).build()),
                ListRolesResponse::getRolesList, ListRolesResponse::getNextPageToken);
        customRoles.addAndGet(roles.size());
        files.writeList("gcp/roles/" + BundleFiles.fileName(parent), roles);
    }

    /**
     * Sends the request of every page until a page has no next page token, and returns all items. When a page
     * fails for good, the items of the pages before it are kept and the gap is recorded.
     */
    private <R, T> List<T> pages(GcpCall call, String scope,
                                 Function<String, Supplier<ApiFuture<R>>> request,
                                 Function<R, List<T>> items, Function<R, String> nextPageToken) {
        List<T> all = new ArrayList<>();
        forEachPage(call, scope, request, items, nextPageToken, all::addAll);
        return all;
    }

    /** Sends the request of every page as {@link #pages} does, and hands each page's items to {@code consumer}. */
    private <R, T> void forEachPage(GcpCall call, String scope, Function<String, Supplier<ApiFuture<R>>> request,
                                    Function<R, List<T>> items, Function<R, String> nextPageToken,
                                    Consumer<List<T>> consumer) {
        currentService = call.service();
        String token = "";
        do {
            R page = runner.run(call, scope, request.apply(token));
            if (page == null) {
                return;
            }
            consumer.accept(items.apply(page));
            token = nextPageToken.apply(page);
        } while (!token.isEmpty());
    }

    private void stage(String line) {
        log.info(line);
        stages.accept(line);
    }

    private void report() {
        status.accept(String.format("projects %d/%d done, %s, %d calls, %d retries, %d gaps", projectsDone.get(),
                projects.size(), currentService, runner.totalCalls(), runner.retries(), runner.gaps().size()));
    }

    /** Returns a gap in the cloud-neutral form of collection-gaps.json; GCP calls are global, so there is no region. */
    private static dev.nhigraph.collect.CollectionGap shared(CollectionGap gap) {
        return new dev.nhigraph.collect.CollectionGap("gcp", gap.scope(), null, gap.call().service(), gap.call().method(),
                dev.nhigraph.collect.CollectionGap.Reason.of(gap.reason()), gap.message());
    }
}
