package dev.nhigraph.generate.gcp;

import dev.nhigraph.generate.SeededRandom;
import dev.nhigraph.generate.Tier;
import dev.nhigraph.generate.gcp.GcpModel.Condition;
import dev.nhigraph.generate.gcp.GcpModel.CustomRole;
import dev.nhigraph.generate.gcp.GcpModel.Folder;
import dev.nhigraph.generate.gcp.GcpModel.Grant;
import dev.nhigraph.generate.gcp.GcpModel.Project;
import dev.nhigraph.generate.gcp.GcpModel.Resource;
import dev.nhigraph.generate.gcp.GcpModel.ResourceKind;
import dev.nhigraph.generate.gcp.GcpModel.ServiceAccount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Draws the random IAM grants of the organisation, so that together with the planted grants, the default editors
 * and the legacy bucket grants they add up to the tier's exact count.
 *
 * <p>The random grants are split over the levels first: 0.3 % on the organization, 2 % on folders, and the rest
 * 70 : 12 : 18 over projects, service accounts and resources. Each project's share follows its size. Grants of a
 * project are drawn from a stream of their own when the project is written, so they never exist for all projects at
 * once. About 10 % of random grants carry a condition, and roles follow a Zipf law over lists ordered from common
 * to rare, so roles/viewer is frequent and roles/owner rare.
 */
final class GcpPolicies {

    static final double CONDITIONAL_SHARE = 0.10;
    static final double DELETED_MEMBER_SHARE = 0.01;
    private static final double ORGANIZATION_SHARE = 0.003;
    private static final double FOLDER_SHARE = 0.02;
    private static final double[] PROJECT_ACCOUNT_RESOURCE_SPLIT = {0.70, 0.12, 0.18};
    private static final double ROLE_EXPONENT = 1.1;
    private static final int MAX_DRAWS = 100_000;
    private static final Instant EARLIEST_EXPIRY = Instant.parse("2022-01-01T00:00:00Z");

    static final List<String> PROJECT_ROLES = List.of("roles/viewer", "roles/logging.logWriter",
            "roles/monitoring.metricWriter", "roles/storage.objectViewer", "roles/bigquery.dataViewer",
            "roles/pubsub.publisher", "roles/secretmanager.secretAccessor", "roles/cloudsql.client",
            "roles/bigquery.jobUser", "roles/pubsub.subscriber", "roles/storage.objectAdmin", "roles/compute.viewer",
            "roles/run.invoker", "roles/artifactregistry.reader", "roles/container.developer", "roles/editor",
            "roles/cloudtrace.agent", "roles/errorreporting.writer", "roles/bigquery.dataEditor",
            "roles/compute.instanceAdmin.v1", "roles/iam.serviceAccountUser", "roles/cloudfunctions.developer",
            "roles/iam.serviceAccountTokenCreator", "roles/owner", "roles/browser", "roles/iam.securityReviewer",
            "roles/monitoring.viewer", "roles/logging.viewer", "roles/artifactregistry.writer", "roles/run.developer");
    static final List<String> FOLDER_ROLES = List.of("roles/resourcemanager.folderViewer", "roles/browser",
            "roles/logging.viewer", "roles/monitoring.viewer", "roles/iam.securityReviewer", "roles/viewer",
            "roles/bigquery.dataViewer", "roles/editor", "roles/resourcemanager.folderAdmin", "roles/owner");
    static final List<String> ORGANIZATION_ROLES = List.of("roles/resourcemanager.organizationViewer", "roles/browser",
            "roles/iam.securityReviewer", "roles/billing.viewer", "roles/logging.viewer", "roles/orgpolicy.policyViewer",
            "roles/resourcemanager.folderViewer", "roles/securitycenter.adminViewer",
            "roles/resourcemanager.organizationAdmin", "roles/owner");
    static final List<String> ACCOUNT_ROLES = List.of("roles/iam.serviceAccountUser",
            "roles/iam.serviceAccountTokenCreator", "roles/iam.workloadIdentityUser", "roles/iam.serviceAccountKeyAdmin");
    static final Map<ResourceKind, List<String>> RESOURCE_ROLES = Map.of(
            ResourceKind.BUCKET, List.of("roles/storage.objectViewer", "roles/storage.objectCreator",
                    "roles/storage.objectAdmin", "roles/storage.legacyBucketReader", "roles/storage.admin"),
            ResourceKind.SECRET, List.of("roles/secretmanager.secretAccessor", "roles/secretmanager.viewer",
                    "roles/secretmanager.secretVersionManager", "roles/secretmanager.admin"),
            ResourceKind.DATASET, List.of("roles/bigquery.dataViewer", "roles/bigquery.dataEditor",
                    "roles/bigquery.dataOwner", "roles/bigquery.metadataViewer"),
            ResourceKind.TOPIC, List.of("roles/pubsub.publisher", "roles/pubsub.subscriber", "roles/pubsub.viewer",
                    "roles/pubsub.editor"));
    static final String EDITOR = "roles/editor";
    static final String LEGACY_BUCKET_OWNER = "roles/storage.legacyBucketOwner";
    static final String LEGACY_BUCKET_READER = "roles/storage.legacyBucketReader";
    static final String OBJECT_VIEWER = "roles/storage.objectViewer";
    /** Grants of every bucket's policy that name the project's basic roles, as new buckets get them. */
    static final int LEGACY_GRANTS_PER_BUCKET = 3;
    private static final List<String> NAMESPACES = List.of("default", "payments", "batch", "ingest", "monitoring");

    private final GcpEstate estate;
    private final GcpPlanted planted;
    private final SeededRandom random;
    private final SeededRandom.Zipf projectRoles = new SeededRandom.Zipf(PROJECT_ROLES.size(), ROLE_EXPONENT);
    private final SeededRandom.Zipf folderRoles = new SeededRandom.Zipf(FOLDER_ROLES.size(), ROLE_EXPONENT);
    private final SeededRandom.Zipf organizationRoles = new SeededRandom.Zipf(ORGANIZATION_ROLES.size(), ROLE_EXPONENT);
    private final SeededRandom.Zipf accountRoles = new SeededRandom.Zipf(ACCOUNT_ROLES.size(), 1.3);

    private final Map<ResourceKind, SeededRandom.Zipf> resourceRoleLaws = new java.util.EnumMap<>(ResourceKind.class);

    final int organizationGrants;
    final int[] folderGrants;
    final int[] projectGrants;
    final int[] accountGrants;
    final int[] resourceGrants;
    final int defaultEditors;

    GcpPolicies(GcpEstate estate, GcpPlanted planted, SeededRandom random) {
        this.estate = estate;
        this.planted = planted;
        this.random = random;
        GcpTier sizes = estate.layout.sizes;
        this.defaultEditors = (int) estate.projects.stream().filter(Project::defaultEditor).count();
        int fixed = planted.grantCount + defaultEditors + LEGACY_GRANTS_PER_BUCKET * sizes.buckets() + sizes.publicBuckets();
        int randomGrants = sizes.grants() - fixed;
        if (randomGrants < 0) {
            throw new IllegalStateException(fixed + " planted and fixed grants exceed the tier's " + sizes.grants());
        }
        this.organizationGrants = (int) Math.round(ORGANIZATION_SHARE * randomGrants);
        int folders = (int) Math.round(FOLDER_SHARE * randomGrants);
        int[] levels = Tier.apportion(randomGrants - organizationGrants - folders, PROJECT_ACCOUNT_RESOURCE_SPLIT);

        double[] folderWeights = new double[estate.folders.size()];
        java.util.Arrays.fill(folderWeights, 1);
        this.folderGrants = Tier.apportion(folders, folderWeights);
        int count = estate.projects.size();
        double[] projectWeights = new double[count];
        double[] accountWeights = new double[count];
        double[] resourceWeights = new double[count];
        for (int i = 0; i < count; i++) {
            Project project = estate.projects.get(i);
            projectWeights[i] = project.slot().weight();
            accountWeights[i] = estate.accountsOf(project).stream().filter(account -> !account.planted()).count();
            resourceWeights[i] = project.slot().policyResources();
        }
        this.projectGrants = Tier.apportion(levels[0], projectWeights);
        this.accountGrants = Tier.apportion(levels[1], accountWeights);
        this.resourceGrants = Tier.apportion(levels[2], resourceWeights);
    }

    /** One resource's allow policy, with the grants of every binding. */
    record Policy(String resource, String assetType, Project project, List<String> folders, List<Grant> grants) {
    }

    /** Returns the policies of the organization and of every folder, random grants only. */
    List<Policy> organizationAndFolders() {
        SeededRandom draw = random.fork("organization");
        List<Policy> policies = new ArrayList<>();
        Draws org = new Draws(draw, null);
        for (int i = 0; i < organizationGrants; i++) {
            org.add(() -> new Grant(ORGANIZATION_ROLES.get(organizationRoles.sample(draw)), directoryOrAccount(draw, 0.7, 0.2), null));
        }
        policies.add(new Policy("//cloudresourcemanager.googleapis.com/" + estate.organizationName(),
                "cloudresourcemanager.googleapis.com/Organization", null, List.of(), org.grants));
        for (int f = 0; f < estate.folders.size(); f++) {
            Folder folder = estate.folders.get(f);
            Draws folderDraws = new Draws(draw, null);
            for (int i = 0; i < folderGrants[f]; i++) {
                folderDraws.add(() -> new Grant(FOLDER_ROLES.get(folderRoles.sample(draw)), directoryOrAccount(draw, 0.6, 0.2),
                        folderDraws.maybeCondition(null)));
            }
            policies.add(new Policy("//cloudresourcemanager.googleapis.com/" + folder.name(),
                    "cloudresourcemanager.googleapis.com/Folder", null, folder.ancestors(), folderDraws.grants));
        }
        return policies;
    }

    /** Returns the policies of one project: the project, its service accounts and its resources, in that order. */
    List<Policy> projectPolicies(Project project) {
        int index = project.slot().index();
        SeededRandom draw = random.fork("project-" + project.id());
        List<ServiceAccount> own = estate.accountsOf(project).stream().filter(account -> !account.planted()).toList();
        List<Policy> policies = new ArrayList<>();

        Draws projectDraws = new Draws(draw, planted.grantsByResource.get(project.assetName()));
        if (project.defaultEditor()) {
            projectDraws.addFixed(new Grant(EDITOR, "serviceAccount:" + project.defaultAccountEmail(), null));
        }
        List<CustomRole> usableRoles = estate.customRoles.stream()
                .filter(role -> role.name().startsWith("projects/" + project.id() + "/") && !estate.isPlanted(role)
                        || role.name().startsWith("organizations/"))
                .toList();
        for (int i = 0; i < projectGrants[index]; i++) {
            projectDraws.add(() -> {
                String role = !usableRoles.isEmpty() && draw.chance(0.02) ? draw.pick(usableRoles).name()
                        : PROJECT_ROLES.get(projectRoles.sample(draw));
                return new Grant(role, projectMember(draw, own), projectDraws.maybeCondition(projectScope(role, project)));
            });
        }
        policies.add(new Policy(project.assetName(), "cloudresourcemanager.googleapis.com/Project", project,
                project.folders(), projectDraws.grants));

        addAccountPolicies(project, own, draw, policies);
        addResourcePolicies(project, own, draw, policies);
        return policies;
    }

    private void addAccountPolicies(Project project, List<ServiceAccount> own, SeededRandom draw, List<Policy> policies) {
        // Planted accounts keep only their planted policies; random grants go to the project's other accounts.
        java.util.Map<ServiceAccount, Draws> byAccount = new java.util.LinkedHashMap<>();
        for (int i = 0; i < accountGrants[project.slot().index()]; i++) {
            ServiceAccount target = draw.pick(own);
            Draws draws = byAccount.computeIfAbsent(target, key -> new Draws(draw, null));
            draws.add(() -> {
                String role = ACCOUNT_ROLES.get(accountRoles.sample(draw));
                String member = role.equals("roles/iam.workloadIdentityUser")
                        ? "serviceAccount:" + project.id() + ".svc.id.goog[" + draw.pick(NAMESPACES) + "/" + draw.pick(GcpLayout.TEAMS) + "-ksa]"
                        : projectMember(draw, own);
                return new Grant(role, member, draws.maybeCondition(null));
            });
        }
        for (ServiceAccount account : estate.accountsOf(project)) {
            List<Grant> plantedByEmail = planted.grantsByResource.get(account.resourceNameByEmail());
            List<Grant> plantedById = planted.grantsByResource.get(account.resourceNameByUniqueId());
            if (plantedByEmail != null) {
                policies.add(accountPolicy(account, account.resourceNameByEmail(), project, plantedByEmail));
            }
            if (plantedById != null) {
                policies.add(accountPolicy(account, account.resourceNameByUniqueId(), project, plantedById));
            }
            Draws draws = byAccount.get(account);
            if (draws != null) {
                // Cloud Asset Inventory names some accounts by unique id; about one in seven here.
                String name = draw.chance(0.15) ? account.resourceNameByUniqueId() : account.resourceNameByEmail();
                policies.add(accountPolicy(account, name, project, draws.grants));
            }
        }
    }

    private static Policy accountPolicy(ServiceAccount account, String name, Project project, List<Grant> grants) {
        return new Policy(name, "iam.googleapis.com/ServiceAccount", project, project.folders(), grants);
    }

    private void addResourcePolicies(Project project, List<ServiceAccount> own, SeededRandom draw, List<Policy> policies) {
        List<Resource> resources = estate.resources.get(project.id()).withPolicies;
        java.util.Map<Resource, Draws> byResource = new java.util.LinkedHashMap<>();
        for (Resource resource : resources) {
            if (resource.kind() == ResourceKind.BUCKET) {
                Draws draws = byResource.computeIfAbsent(resource, key -> new Draws(draw, null));
                draws.addFixed(new Grant(LEGACY_BUCKET_OWNER, "projectEditor:" + project.id(), null));
                draws.addFixed(new Grant(LEGACY_BUCKET_OWNER, "projectOwner:" + project.id(), null));
                draws.addFixed(new Grant(LEGACY_BUCKET_READER, "projectViewer:" + project.id(), null));
                if (resource.publicRead()) {
                    draws.addFixed(new Grant(OBJECT_VIEWER, "allUsers", null));
                }
            }
        }
        for (int i = 0; i < resourceGrants[project.slot().index()]; i++) {
            Resource target = draw.pick(resources);
            Draws draws = byResource.computeIfAbsent(target, key -> new Draws(draw, null));
            List<String> roles = RESOURCE_ROLES.get(target.kind());
            SeededRandom.Zipf roleLaw = resourceRoleLaws.computeIfAbsent(target.kind(),
                    kind -> new SeededRandom.Zipf(roles.size(), ROLE_EXPONENT));
            draws.add(() -> new Grant(roles.get(roleLaw.sample(draw)), resourceMember(draw, own), draws.maybeCondition(null)));
        }
        for (Resource resource : resources) {
            Draws draws = byResource.get(resource);
            if (draws != null) {
                policies.add(new Policy(resource.name(), resource.kind().assetType, project, project.folders(), draws.grants));
            }
        }
    }

    /** Returns the resource-name prefix that a startsWith condition may limit {@code role} to, or null. */
    private static String projectScope(String role, Project project) {
        if (role.startsWith("roles/storage.")) {
            return "projects/_/buckets/" + project.id() + "-";
        }
        if (role.startsWith("roles/secretmanager.")) {
            return "projects/" + project.number() + "/secrets/";
        }
        return null;
    }

    private String projectMember(SeededRandom draw, List<ServiceAccount> own) {
        return switch (draw.weighted(0.5, 0.25, 0.25)) {
            case 0 -> accountMember(draw, own);
            case 1 -> draw.pick(estate.groups);
            default -> draw.pick(estate.users);
        };
    }

    private String resourceMember(SeededRandom draw, List<ServiceAccount> own) {
        return switch (draw.weighted(0.6, 0.25, 0.15)) {
            case 0 -> accountMember(draw, own);
            case 1 -> draw.pick(estate.groups);
            default -> draw.pick(estate.users);
        };
    }

    /** Returns a group with chance {@code groups}, a user with chance {@code users}, else a service account of any project. */
    private String directoryOrAccount(SeededRandom draw, double groups, double users) {
        return switch (draw.weighted(groups, users, 1 - groups - users)) {
            case 0 -> draw.pick(estate.groups);
            case 1 -> draw.pick(estate.users);
            default -> draw.pick(estate.randomAccounts).member();
        };
    }

    /** Returns a service account of the project (70 %) or of any project, or now and then a deleted one. */
    private String accountMember(SeededRandom draw, List<ServiceAccount> own) {
        ServiceAccount account = draw.chance(0.7) ? draw.pick(own) : draw.pick(estate.randomAccounts);
        if (draw.chance(DELETED_MEMBER_SHARE)) {
            // The account of a deleted member is not in the list: its name is that of an account deleted long ago.
            String email = account.email().replace("@", "-old@");
            return "deleted:serviceAccount:" + email + "?uid=" + estate.ids.uniqueId();
        }
        return account.member();
    }

    /**
     * The grants of one policy as they are drawn: a grant that repeats a member, role and condition already there is
     * drawn again, so each grant counts once.
     */
    private final class Draws {
        private final SeededRandom draw;
        final List<Grant> grants = new ArrayList<>();
        private final Set<String> keys = new HashSet<>();
        private Condition expired;
        private Condition future;

        Draws(SeededRandom draw, List<Grant> plantedGrants) {
            this.draw = draw;
            if (plantedGrants != null) {
                plantedGrants.forEach(this::addFixed);
            }
        }

        /** Adds a grant that is not drawn, so that no drawn grant repeats it. */
        void addFixed(Grant grant) {
            grants.add(grant);
            keys.add(key(grant));
        }

        void add(java.util.function.Supplier<Grant> next) {
            for (int attempt = 0; attempt < MAX_DRAWS; attempt++) {
                Grant grant = next.get();
                if (keys.add(key(grant))) {
                    grants.add(grant);
                    return;
                }
            }
            throw new IllegalStateException("no new member, role and condition after " + MAX_DRAWS + " draws");
        }

        /** Returns a condition for about one grant in ten: an expired or a future time limit, or a resource-name prefix. */
        Condition maybeCondition(String scope) {
            if (!draw.chance(CONDITIONAL_SHARE)) {
                return null;
            }
            int kind = draw.weighted(0.35, 0.35, scope == null ? 0 : 0.3);
            if (kind == 2) {
                return new Condition("only " + scope, null, "resource.name.startsWith(\"" + scope + "\")");
            }
            if (kind == 0) {
                if (expired == null) {
                    expired = timeLimit(estate.ids.between(EARLIEST_EXPIRY, GcpIds.REFERENCE_TIME.minusSeconds(86_400)));
                }
                return expired;
            }
            if (future == null) {
                future = timeLimit(estate.ids.between(GcpIds.REFERENCE_TIME.plusSeconds(86_400),
                        GcpIds.REFERENCE_TIME.plusSeconds(365L * 86_400)));
            }
            return future;
        }

        private static Condition timeLimit(Instant end) {
            String day = end.toString().substring(0, 10);
            return new Condition("temporary access until " + day, "Granted for a migration; remove after " + day + ".",
                    "request.time < timestamp(\"" + day + "T00:00:00Z\")");
        }

        private static String key(Grant grant) {
            return grant.bindingKey() + "\u0000" + grant.member();
        }
    }
}
