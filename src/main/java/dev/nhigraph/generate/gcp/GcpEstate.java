package dev.nhigraph.generate.gcp;

import dev.nhigraph.generate.SeededRandom;
import dev.nhigraph.generate.gcp.GcpModel.CustomRole;
import dev.nhigraph.generate.gcp.GcpModel.Folder;
import dev.nhigraph.generate.gcp.GcpModel.Project;
import dev.nhigraph.generate.gcp.GcpModel.ProjectResources;
import dev.nhigraph.generate.gcp.GcpModel.Resource;
import dev.nhigraph.generate.gcp.GcpModel.ResourceKind;
import dev.nhigraph.generate.gcp.GcpModel.ServiceAccount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The GCP organisation without its IAM policies: the organization, folders, projects, service accounts, resources,
 * custom roles, and the users and groups that policies name. Policies are drawn per project while they are written
 * ({@link GcpPolicies}), so the grants of tier L never exist all at once.
 */
final class GcpEstate {

    static final String DOMAIN = "synthetic-corp.example";
    /** Projects created before this date got roles/editor for their Compute Engine default account automatically. */
    static final Instant DEFAULT_EDITOR_UNTIL = Instant.parse("2024-05-01T00:00:00Z");
    private static final double DEFAULT_EDITOR_SHARE = 0.7;
    private static final double DISABLED_SHARE = 0.03;

    private static final List<String> WORKLOADS = List.of("api", "worker", "ingest", "etl", "scheduler", "gateway",
            "indexer", "exporter", "backup", "reporting", "notifier", "sync", "frontend", "batch", "stream", "loader",
            "webhook", "crawler", "dataflow", "gke-node", "cloud-run", "composer", "terraform", "github-actions",
            "monitoring", "bq-jobs");
    private static final List<String> ACCOUNT_PURPOSES = List.of("runtime", "runner", "deployer", "reader", "writer",
            "invoker", "agent", "sa");
    private static final List<String> BUCKET_PURPOSES = List.of("events", "artifacts", "logs", "uploads", "exports",
            "state", "raw", "curated", "backups", "assets", "reports", "config", "tfstate", "models");
    private static final List<String> SECRET_KINDS = List.of("db-password", "api-key", "oauth-client-secret", "tls-key",
            "webhook-token", "service-token");
    private static final List<String> DATASET_PURPOSES = List.of("raw", "curated", "staging", "reporting", "sandbox", "ml");
    private static final List<String> EVENTS = List.of("created", "updated", "deleted", "events", "dead-letter", "audit");
    private static final List<String> ZONES = List.of("us-central1-a", "us-east1-b", "europe-west1-b", "europe-west4-a");
    private static final List<String> REGIONS = List.of("us-central1", "europe-west1");
    private static final List<String> BUCKET_LOCATIONS = List.of("US", "EU", "us-central1", "europe-west1");
    private static final List<String> GIVEN_NAMES = List.of("amara", "bjorn", "carmen", "deepak", "elif", "felix",
            "greta", "hiro", "ines", "jonas", "keiko", "luca", "mei", "nikolai", "olga", "pablo", "rania", "sami",
            "tomas", "uma", "vera", "wen", "yusuf", "zofia");
    private static final List<String> FAMILY_NAMES = List.of("adeyemi", "bergstrom", "castillo", "dimitrov", "engel",
            "fontaine", "gupta", "haddad", "iversen", "jovanovic", "kimura", "lindqvist", "moreau", "nakamura", "oliveira",
            "pereira", "quint", "rossi", "schmidt", "tanaka", "ueda", "varga", "weber", "yilmaz");
    private static final List<String> GROUP_PURPOSES = List.of("developers", "admins", "readers", "oncall", "sre",
            "data-analysts", "security", "finance", "release-managers", "support");

    /** Harmless permissions that random custom roles are built from; none of them lets a principal gain others. */
    static final List<String> CUSTOM_ROLE_PERMISSIONS = List.of("storage.buckets.get", "storage.buckets.list",
            "storage.objects.get", "storage.objects.list", "logging.logEntries.list", "monitoring.timeSeries.list",
            "bigquery.datasets.get", "bigquery.tables.getData", "bigquery.tables.list", "pubsub.topics.publish",
            "pubsub.subscriptions.consume", "compute.instances.get", "compute.instances.list",
            "resourcemanager.projects.get", "cloudsql.instances.connect", "cloudsql.instances.get",
            "secretmanager.secrets.get", "secretmanager.versions.access", "run.services.get", "run.routes.invoke");
    private static final List<String> CUSTOM_ROLE_NAMES = List.of("logReader", "bucketAuditor", "dataAnalyst",
            "deployViewer", "metricsReader", "queuePublisher", "sqlConnector", "secretReader", "instanceViewer",
            "serviceInvoker");

    final GcpLayout layout;
    final GcpIds ids;
    final String organizationId;
    final String directoryCustomerId;
    final String organizationCreateTime;
    final List<Folder> folders = new ArrayList<>();
    final List<Project> projects = new ArrayList<>();
    /** The service accounts of each project by project id, in the order they are listed. */
    final Map<String, List<ServiceAccount>> accounts = new LinkedHashMap<>();
    final Map<String, ProjectResources> resources = new LinkedHashMap<>();
    final List<CustomRole> customRoles = new ArrayList<>();
    final List<String> users = new ArrayList<>();
    final List<String> groups = new ArrayList<>();
    /** Every service account that random grants may name, over all projects. */
    final List<ServiceAccount> randomAccounts = new ArrayList<>();

    private final Map<String, Set<String>> accountNames = new HashMap<>();
    private final Set<String> plantedRoles = new HashSet<>();

    GcpEstate(GcpLayout layout, SeededRandom random) {
        this.layout = layout;
        this.ids = new GcpIds(random.fork("ids"));
        this.organizationId = ids.twelveDigits();
        this.directoryCustomerId = "C0" + ids.random().lowerAlphanumeric(7);
        this.organizationCreateTime = GcpIds.EARLIEST_PROJECT.minusSeconds(86_400L * 200).toString();
        addFolders();
        addProjects(random.fork("projects"));
    }

    String organizationName() {
        return "organizations/" + organizationId;
    }

    private void addFolders() {
        Map<String, Folder> byKey = new HashMap<>();
        for (GcpLayout.FolderSlot slot : layout.folders) {
            String id = ids.twelveDigits();
            Folder parent = slot.parentKey() == null ? null : byKey.get(slot.parentKey());
            List<String> ancestors = new ArrayList<>();
            ancestors.add("folders/" + id);
            if (parent != null) {
                ancestors.addAll(parent.ancestors());
            }
            String createTime = ids.between(Instant.parse(organizationCreateTime), GcpIds.EARLIEST_PROJECT).toString();
            Folder folder = new Folder(slot.key(), id, slot.displayName(),
                    parent == null ? organizationName() : parent.name(), List.copyOf(ancestors), createTime);
            byKey.put(slot.key(), folder);
            folders.add(folder);
        }
    }

    private void addProjects(SeededRandom random) {
        Map<String, Folder> byKey = new HashMap<>();
        folders.forEach(folder -> byKey.put(folder.key(), folder));
        for (GcpLayout.ProjectSlot slot : layout.projects) {
            String id = slot.baseName() + "-" + random.lowerAlphanumeric(4);
            Folder folder = slot.folderKey() == null ? null : byKey.get(slot.folderKey());
            Instant created = ids.between(GcpIds.EARLIEST_PROJECT, GcpIds.LATEST_PROJECT);
            boolean defaultEditor = created.isBefore(DEFAULT_EDITOR_UNTIL) && random.chance(DEFAULT_EDITOR_SHARE);
            Project project = new Project(slot, id, ids.twelveDigits(), folder == null ? null : folder.id(),
                    folder == null ? List.of() : folder.ancestors(), created.toString(), defaultEditor);
            projects.add(project);
            List<ServiceAccount> list = new ArrayList<>();
            list.add(new ServiceAccount(project.defaultAccountEmail(), project, ids.uniqueId(),
                    "Compute Engine default service account", false, true, false));
            accounts.put(id, list);
            accountNames.put(id, new HashSet<>());
        }
    }

    /** Returns the number of accounts that {@code project} can still take within its planned count. */
    int freeAccountSlots(Project project) {
        return project.slot().serviceAccounts() - accounts.get(project.id()).size();
    }

    /**
     * Adds a planted service account named {@code base}, or {@code base-N} when the project already has that name.
     *
     * @throws IllegalStateException when the project has no free slot left
     */
    ServiceAccount addPlantedAccount(Project project, String base, String displayName) {
        if (freeAccountSlots(project) <= 0) {
            throw new IllegalStateException("project " + project.id() + " has no free service-account slot for " + base);
        }
        ServiceAccount account = new ServiceAccount(accountName(project, base) + "@" + project.id() + ".iam.gserviceaccount.com",
                project, ids.uniqueId(), displayName, false, false, true);
        accounts.get(project.id()).add(account);
        return account;
    }

    /** Fills every project up to its planned number of service accounts with random ones. */
    void fillAccounts(SeededRandom random) {
        for (Project project : projects) {
            List<ServiceAccount> list = accounts.get(project.id());
            while (list.size() < project.slot().serviceAccounts()) {
                String workload = random.pick(WORKLOADS);
                String purpose = random.pick(ACCOUNT_PURPOSES);
                String name = accountName(project, workload + "-" + purpose);
                String displayName = Character.toUpperCase(workload.charAt(0)) + workload.substring(1).replace('-', ' ')
                        + " " + purpose;
                list.add(new ServiceAccount(name + "@" + project.id() + ".iam.gserviceaccount.com", project,
                        ids.uniqueId(), displayName, random.chance(DISABLED_SHARE), false, false));
            }
            for (ServiceAccount account : list) {
                if (!account.planted()) {
                    randomAccounts.add(account);
                }
            }
        }
    }

    private String accountName(Project project, String base) {
        Set<String> taken = accountNames.get(project.id());
        String name = base;
        for (int n = 2; !taken.add(name); n++) {
            name = base + "-" + n;
        }
        return name;
    }

    /** Adds the buckets, secrets, datasets, topics, instances and functions of every project. */
    void fillResources(SeededRandom random) {
        int bucketIndex = 0;
        int publicEvery = layout.sizes.buckets() / layout.sizes.publicBuckets();
        for (Project project : projects) {
            ProjectResources list = new ProjectResources();
            GcpLayout.ProjectSlot slot = project.slot();
            Set<String> names = new HashSet<>();
            Instant created = Instant.parse(project.createTime());
            for (int i = 0; i < slot.buckets(); i++, bucketIndex++) {
                String name = uniqueName(names, project.id() + "-" + random.pick(BUCKET_PURPOSES), "-");
                boolean publicRead = bucketIndex % publicEvery == 0 && bucketIndex / publicEvery < layout.sizes.publicBuckets();
                list.withPolicies.add(new Resource(ResourceKind.BUCKET, "//storage.googleapis.com/" + name, name,
                        random.pick(BUCKET_LOCATIONS), null, createTime(created, random), publicRead));
            }
            for (int i = 0; i < slot.secrets(); i++) {
                String name = uniqueName(names, random.pick(WORKLOADS) + "-" + random.pick(SECRET_KINDS), "-");
                list.withPolicies.add(new Resource(ResourceKind.SECRET, "//secretmanager.googleapis.com/projects/"
                        + project.number() + "/secrets/" + name, name, "global", null, createTime(created, random), false));
            }
            for (int i = 0; i < slot.datasets(); i++) {
                String name = uniqueName(names, random.pick(DATASET_PURPOSES) + "_" + random.pick(WORKLOADS).replace('-', '_'), "_");
                list.withPolicies.add(new Resource(ResourceKind.DATASET, "//bigquery.googleapis.com/projects/"
                        + project.id() + "/datasets/" + name, name, random.chance(0.5) ? "US" : "EU", null,
                        createTime(created, random), false));
            }
            for (int i = 0; i < slot.topics(); i++) {
                String name = uniqueName(names, random.pick(WORKLOADS) + "-" + random.pick(EVENTS), "-");
                list.withPolicies.add(new Resource(ResourceKind.TOPIC, "//pubsub.googleapis.com/projects/"
                        + project.id() + "/topics/" + name, name, "global", null, createTime(created, random), false));
            }
            for (int i = 0; i < slot.instances(); i++) {
                String zone = random.pick(ZONES);
                String name = uniqueName(names, random.pick(WORKLOADS) + "-vm", "-");
                list.withoutPolicies.add(new Resource(ResourceKind.INSTANCE, "//compute.googleapis.com/projects/"
                        + project.id() + "/zones/" + zone + "/instances/" + name, name, zone,
                        random.chance(0.85) ? "RUNNING" : "TERMINATED", createTime(created, random), false));
            }
            for (int i = 0; i < slot.functions(); i++) {
                String region = random.pick(REGIONS);
                String name = uniqueName(names, random.pick(WORKLOADS) + "-" + random.pick(EVENTS) + "-handler", "-");
                list.withoutPolicies.add(new Resource(ResourceKind.FUNCTION, "//cloudfunctions.googleapis.com/projects/"
                        + project.id() + "/locations/" + region + "/functions/" + name, name, region, "ACTIVE",
                        createTime(created, random), false));
            }
            resources.put(project.id(), list);
        }
    }

    private String createTime(Instant projectCreated, SeededRandom random) {
        long span = GcpIds.LATEST_PROJECT.getEpochSecond() - projectCreated.getEpochSecond();
        return Instant.ofEpochSecond(projectCreated.getEpochSecond() + (long) (random.nextDouble() * span)).toString();
    }

    private static String uniqueName(Set<String> names, String base, String separator) {
        String name = base;
        for (int n = 2; !names.add(name); n++) {
            name = base + separator + n;
        }
        return name;
    }

    /** Adds random custom roles of harmless permissions until the tier's count, the planted ones included, is reached. */
    void fillCustomRoles(SeededRandom random) {
        Set<String> names = new HashSet<>();
        customRoles.forEach(role -> names.add(role.name()));
        while (customRoles.size() < layout.sizes.customRoles()) {
            String base = random.pick(CUSTOM_ROLE_NAMES);
            String parent = random.chance(0.4) ? organizationName() : "projects/" + random.pick(projects).id();
            String name = parent + "/roles/" + base;
            for (int n = 2; names.contains(name); n++) {
                name = parent + "/roles/" + base + n;
            }
            names.add(name);
            List<String> permissions = new ArrayList<>(random.sample(CUSTOM_ROLE_PERMISSIONS, random.between(3, 8)));
            permissions.sort(null);
            customRoles.add(new CustomRole(name, titleOf(base), "Created by the platform team for " + base + " tasks.",
                    List.copyOf(permissions), etag(random)));
        }
    }

    /** Adds a custom role whose name is fixed by a planted path; random grants never name it. */
    void addPlantedCustomRole(CustomRole role) {
        customRoles.add(role);
        plantedRoles.add(role.name());
    }

    boolean isPlanted(CustomRole role) {
        return plantedRoles.contains(role.name());
    }

    static String etag(SeededRandom random) {
        return "BwY" + random.upperAlphanumeric(5) + random.lowerAlphanumeric(4) + "=";
    }

    private static String titleOf(String roleId) {
        StringBuilder title = new StringBuilder();
        for (char c : roleId.toCharArray()) {
            if (Character.isUpperCase(c)) {
                title.append(' ').append(Character.toLowerCase(c));
            } else {
                title.append(title.length() == 0 ? Character.toUpperCase(c) : c);
            }
        }
        return title + " (custom)";
    }

    /** Adds the users and groups of the fake directory that random grants name. */
    void fillDirectory(SeededRandom random) {
        int userCount = Math.max(30, layout.sizes.serviceAccounts() / 5);
        Set<String> names = new HashSet<>();
        while (users.size() < userCount) {
            String name = uniqueName(names, random.pick(GIVEN_NAMES) + "." + random.pick(FAMILY_NAMES), "");
            users.add("user:" + name + "@" + DOMAIN);
        }
        int groupCount = Math.max(10, layout.sizes.serviceAccounts() / 50);
        while (groups.size() < groupCount) {
            String name = uniqueName(names, random.pick(GcpLayout.TEAMS) + "-" + random.pick(GROUP_PURPOSES), "-");
            groups.add("group:" + name + "@" + DOMAIN);
        }
    }

    List<ServiceAccount> accountsOf(Project project) {
        return accounts.get(project.id());
    }

    int serviceAccountCount() {
        return accounts.values().stream().mapToInt(List::size).sum();
    }
}
