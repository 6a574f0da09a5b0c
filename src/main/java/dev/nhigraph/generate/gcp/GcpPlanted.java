package dev.nhigraph.generate.gcp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.generate.SeededRandom;
import dev.nhigraph.generate.gcp.GcpModel.Condition;
import dev.nhigraph.generate.gcp.GcpModel.CustomRole;
import dev.nhigraph.generate.gcp.GcpModel.Grant;
import dev.nhigraph.generate.gcp.GcpModel.Project;
import dev.nhigraph.generate.gcp.GcpModel.ServiceAccount;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The planted ground truth of the GCP organisation: escalation paths of known techniques and lengths, and decoys
 * that look like steps but grant nothing.
 *
 * <p>Every principal of a path or decoy is new and planted: random grants never name it as a member, and no random
 * policy is set on a planted service account. So a path's start holds no grant beyond its path, each step needs
 * the grants listed with it, and the path is the shortest from its start to its end. Random principals may still
 * reach planted accounts, for instance through roles/editor on the project, because editors can create keys for
 * any service account of their project.
 */
final class GcpPlanted {

    static final String GET_ACCESS_TOKEN = "iam.serviceAccounts.getAccessToken";
    static final String CREATE_KEY = "iam.serviceAccountKeys.create";
    static final String ACT_AS_AND_CREATE_FUNCTION = "iam.serviceAccounts.actAs+cloudfunctions.functions.create";
    static final String SET_PROJECT_POLICY = "resourcemanager.projects.setIamPolicy";
    static final String UPDATE_ROLE = "iam.roles.update";

    static final String OWNER = "roles/owner";
    static final String TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator";
    static final String KEY_ADMIN = "roles/iam.serviceAccountKeyAdmin";
    static final String ACCOUNT_USER = "roles/iam.serviceAccountUser";
    static final String FUNCTIONS_DEVELOPER = "roles/cloudfunctions.developer";
    static final String PROJECT_IAM_ADMIN = "roles/resourcemanager.projectIamAdmin";
    static final String SECRET_ACCESSOR = "roles/secretmanager.secretAccessor";

    /** The permissions of the planted custom role that lets its holder rewrite it. */
    static final List<String> SELF_UPDATING_ROLE_PERMISSIONS = List.of("iam.roles.get", "iam.roles.list",
            "iam.roles.update", "resourcemanager.projects.get");

    /** The condition of the expired-condition decoy: it ended before the reference time, so it never applies again. */
    static final Condition EXPIRED = new Condition("break-glass until 2024-03-01", "Temporary access for an incident.",
            "request.time < timestamp(\"2024-03-01T00:00:00Z\")");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> USER_GIVEN = List.of("kai", "lin", "maya", "noah", "oskar", "pia", "ravi", "sofia");
    private static final List<String> USER_FAMILY = List.of("brandt", "cho", "diaz", "ek", "fox", "gill", "holm", "ivers");

    private final GcpEstate estate;
    private final SeededRandom random;
    /** The planted grants by the resource name their policy is written under, in the order they were planted. */
    final Map<String, List<Grant>> grantsByResource = new LinkedHashMap<>();
    final ArrayNode paths = NODES.arrayNode();
    final ArrayNode decoys = NODES.arrayNode();
    final Set<String> plantedMembers = new HashSet<>();
    int grantCount;
    private int userCount;

    GcpPlanted(GcpEstate estate, SeededRandom random) {
        this.estate = estate;
        this.random = random;
    }

    /** Plants the paths and decoys of every repetition. */
    void plant() {
        for (int repetition = 1; repetition <= estate.layout.sizes.repetitions(); repetition++) {
            plantPaths(repetition);
            plantDecoys(repetition);
        }
    }

    private void plantPaths(int repetition) {
        // 1: setIamPolicy on a project makes the holder its administrator.
        List<Project> p = projects(1, 0);
        String user = newUser();
        ObjectNode path = path(user, adminOf(p.get(0)));
        step(path, user, adminOf(p.get(0)), SET_PROJECT_POLICY, grantOnProject(p.get(0), PROJECT_IAM_ADMIN, user));

        // 2: token creator on an owner account of the same project.
        p = projects(1, 2);
        ServiceAccount start = account(p.get(0), "ci-runner");
        ServiceAccount owner = account(p.get(0), "platform-admin");
        path = path(start.member(), adminOf(p.get(0)));
        step(path, start.member(), owner.member(), GET_ACCESS_TOKEN, grantOnAccount(owner, TOKEN_CREATOR, start.member(), false));
        admin(path, owner, grantOnProject(p.get(0), OWNER, owner.member()));

        // 3: key admin on an owner account.
        p = projects(1, 1);
        user = newUser();
        owner = account(p.get(0), "terraform-admin");
        path = path(user, adminOf(p.get(0)));
        step(path, user, owner.member(), CREATE_KEY, grantOnAccount(owner, KEY_ADMIN, user, false));
        admin(path, owner, grantOnProject(p.get(0), OWNER, owner.member()));

        // 4: act as an owner account while deploying a Cloud Function in its project.
        p = projects(2, 1);
        start = account(p.get(0), "release-automation");
        owner = account(p.get(1), "deploy-admin");
        path = path(start.member(), adminOf(p.get(1)));
        step(path, start.member(), owner.member(), ACT_AS_AND_CREATE_FUNCTION,
                grantOnAccount(owner, ACCOUNT_USER, start.member(), false),
                grantOnProject(p.get(1), FUNCTIONS_DEVELOPER, start.member()));
        admin(path, owner, grantOnProject(p.get(1), OWNER, owner.member()));

        // 5: a custom role that contains iam.roles.update lets its holder add any permission to it.
        p = projects(1, 1);
        start = account(p.get(0), "config-sync");
        path = path(start.member(), adminOf(p.get(0)));
        step(path, start.member(), adminOf(p.get(0)), UPDATE_ROLE,
                grantOnProject(p.get(0), selfUpdatingRole(p.get(0), repetition, "releaseManager").name(), start.member()));

        // 6: across projects: an account of A creates tokens for an owner account of B, named by unique id.
        p = projects(2, 1);
        start = account(p.get(0), "etl-orchestrator");
        owner = account(p.get(1), "project-owner");
        path = path(start.member(), adminOf(p.get(1)));
        step(path, start.member(), owner.member(), GET_ACCESS_TOKEN, grantOnAccount(owner, TOKEN_CREATOR, start.member(), true));
        admin(path, owner, grantOnProject(p.get(1), OWNER, owner.member()));

        // 7: length 2: a key for an account of A, which creates tokens for an owner account of B.
        p = projects(2, 1);
        user = newUser();
        ServiceAccount middle = account(p.get(0), "batch-scheduler");
        owner = account(p.get(1), "infra-owner");
        path = path(user, adminOf(p.get(1)));
        step(path, user, middle.member(), CREATE_KEY, grantOnAccount(middle, KEY_ADMIN, user, false));
        step(path, middle.member(), owner.member(), GET_ACCESS_TOKEN, grantOnAccount(owner, TOKEN_CREATOR, middle.member(), true));
        admin(path, owner, grantOnProject(p.get(1), OWNER, owner.member()));

        // 8: length 3 over three projects, ending with setIamPolicy.
        p = projects(3, 1);
        start = account(p.get(0), "report-builder");
        middle = account(p.get(1), "pipeline-runner");
        ServiceAccount last = account(p.get(2), "iam-automation");
        path = path(start.member(), adminOf(p.get(2)));
        step(path, start.member(), middle.member(), GET_ACCESS_TOKEN, grantOnAccount(middle, TOKEN_CREATOR, start.member(), false));
        step(path, middle.member(), last.member(), ACT_AS_AND_CREATE_FUNCTION,
                grantOnAccount(last, ACCOUNT_USER, middle.member(), false),
                grantOnProject(p.get(2), FUNCTIONS_DEVELOPER, middle.member()));
        step(path, last.member(), adminOf(p.get(2)), SET_PROJECT_POLICY, grantOnProject(p.get(2), PROJECT_IAM_ADMIN, last.member()));

        // 9: length 4 over three projects, ending with iam.roles.update.
        p = projects(3, 1);
        user = newUser();
        ServiceAccount first = account(p.get(0), "support-tools");
        middle = account(p.get(1), "data-mover");
        last = account(p.get(2), "role-steward");
        path = path(user, adminOf(p.get(2)));
        step(path, user, first.member(), GET_ACCESS_TOKEN, grantOnAccount(first, TOKEN_CREATOR, user, false));
        step(path, first.member(), middle.member(), CREATE_KEY, grantOnAccount(middle, KEY_ADMIN, first.member(), false));
        step(path, middle.member(), last.member(), GET_ACCESS_TOKEN, grantOnAccount(last, TOKEN_CREATOR, middle.member(), false));
        step(path, last.member(), adminOf(p.get(2)), UPDATE_ROLE,
                grantOnProject(p.get(2), selfUpdatingRole(p.get(2), repetition, "platformOperator").name(), last.member()));

        // 10: length 2 to a service account that reads the secrets of its project but administers nothing.
        p = projects(2, 2);
        start = account(p.get(0), "metrics-exporter");
        middle = account(p.get(0), "cost-reporter");
        last = account(p.get(1), "billing-exporter");
        path = path(start.member(), last.member());
        step(path, start.member(), middle.member(), GET_ACCESS_TOKEN, grantOnAccount(middle, TOKEN_CREATOR, start.member(), false));
        step(path, middle.member(), last.member(), CREATE_KEY, grantOnAccount(last, KEY_ADMIN, middle.member(), false));
        grantOnProject(p.get(1), SECRET_ACCESSOR, last.member());
    }

    private void plantDecoys(int repetition) {
        // The condition ended before the reference time, so the token creator grant never applies.
        List<Project> p = projects(2, 1);
        ServiceAccount source = account(p.get(0), "incident-helper");
        ServiceAccount owner = account(p.get(1), "ops-owner");
        decoy("expired-condition", source.member(), adminOf(p.get(1)),
                "the only grant of the source is roles/iam.serviceAccountTokenCreator on an owner account under a"
                        + " condition that ended on 2024-03-01",
                grantOnAccount(owner, TOKEN_CREATOR, source.member(), false, EXPIRED),
                grantOnProject(p.get(1), OWNER, owner.member()));

        // roles/owner names the deleted account; the account of the same email was created again and is another principal.
        p = projects(1, 1);
        ServiceAccount recreated = account(p.get(0), "legacy-deployer");
        String deleted = "deleted:" + recreated.member() + "?uid=" + estate.ids.uniqueId();
        decoy("deleted-member", recreated.member(), adminOf(p.get(0)),
                "roles/owner names a deleted account of the same email, which IAM does not apply to the account"
                        + " created again under that email",
                grantOnProject(p.get(0), OWNER, deleted));

        // Token creator on an account that holds no role at all: impersonation reaches nothing further.
        p = projects(1, 1);
        String user = newUser();
        ServiceAccount powerless = account(p.get(0), "unused-bot");
        decoy("token-creator-on-account-without-roles", user, adminOf(p.get(0)),
                "the user may create tokens for an account that holds no role",
                grantOnAccount(powerless, TOKEN_CREATOR, user, false));

        // Key admin on itself: a key for itself gives an account nothing it did not have.
        p = projects(1, 1);
        ServiceAccount self = account(p.get(0), "key-rotator");
        decoy("key-admin-on-itself", self.member(), adminOf(p.get(0)),
                "the account's only grant is roles/iam.serviceAccountKeyAdmin on itself",
                grantOnAccount(self, KEY_ADMIN, self.member(), false));

        // actAs alone deploys nothing: the source has no permission to create a function, instance or job.
        p = projects(2, 1);
        source = account(p.get(0), "workflow-runner");
        owner = account(p.get(1), "workload-owner");
        decoy("act-as-without-deploy", source.member(), adminOf(p.get(1)),
                "the source may act as an owner account but holds no permission to create anything that runs as it",
                grantOnAccount(owner, ACCOUNT_USER, source.member(), false),
                grantOnProject(p.get(1), OWNER, owner.member()));
    }

    /** Returns {@code count} distinct projects that each have {@code slots} free service-account slots. */
    private List<Project> projects(int count, int slots) {
        List<Project> chosen = new ArrayList<>();
        int attempts = 0;
        while (chosen.size() < count) {
            Project project = random.pick(estate.projects);
            if (!chosen.contains(project) && estate.freeAccountSlots(project) >= slots) {
                chosen.add(project);
            }
            if (++attempts > 100_000) {
                throw new IllegalStateException("no " + count + " projects with " + slots + " free service-account slots");
            }
        }
        return chosen;
    }

    private ServiceAccount account(Project project, String name) {
        ServiceAccount account = estate.addPlantedAccount(project, name, name.replace('-', ' ') + " (planted)");
        plantedMembers.add(account.member());
        return account;
    }

    private String newUser() {
        userCount++;
        String user = "user:" + random.pick(USER_GIVEN) + "." + random.pick(USER_FAMILY) + "." + userCount + "@" + GcpEstate.DOMAIN;
        plantedMembers.add(user);
        return user;
    }

    private CustomRole selfUpdatingRole(Project project, int repetition, String base) {
        CustomRole role = new CustomRole("projects/" + project.id() + "/roles/" + base + repetition,
                base.equals("releaseManager") ? "Release manager" : "Platform operator",
                "Maintains the project's custom roles.", SELF_UPDATING_ROLE_PERMISSIONS, GcpEstate.etag(random));
        estate.addPlantedCustomRole(role);
        return role;
    }

    private static String adminOf(Project project) {
        return "admin of projects/" + project.id();
    }

    /** One grant of the ground truth, with the resource in the canonical form of {@link GcpNames}. */
    private record TruthGrant(String resource, String role, String member, Condition condition) {
    }

    private TruthGrant grantOnProject(Project project, String role, String member) {
        add(project.assetName(), new Grant(role, member, null));
        return new TruthGrant(GcpNames.projectName(project.id()), role, member, null);
    }

    private TruthGrant grantOnAccount(ServiceAccount account, String role, String member, boolean byUniqueId) {
        return grantOnAccount(account, role, member, byUniqueId, null);
    }

    private TruthGrant grantOnAccount(ServiceAccount account, String role, String member, boolean byUniqueId,
                                      Condition condition) {
        add(byUniqueId ? account.resourceNameByUniqueId() : account.resourceNameByEmail(), new Grant(role, member, condition));
        return new TruthGrant(GcpNames.serviceAccountName(account.project().id(), account.email()), role, member, condition);
    }

    private void add(String resource, Grant grant) {
        grantsByResource.computeIfAbsent(resource, key -> new ArrayList<>()).add(grant);
        grantCount++;
    }

    private ObjectNode path(String from, String to) {
        ObjectNode path = paths.addObject();
        path.put("id", String.format("gcp-path-%03d", paths.size()));
        path.put("from", from);
        path.put("to", to);
        path.put("length", 0);
        path.putArray("techniques");
        path.putArray("steps");
        path.putNull("admin");
        return path;
    }

    private static void step(ObjectNode path, String from, String to, String technique, TruthGrant... grants) {
        path.put("length", path.get("length").asInt() + 1);
        ((ArrayNode) path.get("techniques")).add(technique);
        ObjectNode step = ((ArrayNode) path.get("steps")).addObject();
        step.put("from", from);
        step.put("to", to);
        step.put("technique", technique);
        step.set("grants", grantList(grants));
    }

    /** Records the grant that makes the last account of a path an administrator of the path's project. */
    private static void admin(ObjectNode path, ServiceAccount account, TruthGrant grant) {
        ObjectNode admin = path.putObject("admin");
        admin.put("member", account.member());
        admin.put("role", grant.role());
        admin.put("resource", grant.resource());
    }

    private void decoy(String kind, String from, String to, String reason, TruthGrant... grants) {
        ObjectNode decoy = decoys.addObject();
        decoy.put("id", String.format("gcp-decoy-%03d", decoys.size()));
        decoy.put("kind", kind);
        decoy.put("from", from);
        decoy.put("to", to);
        decoy.put("reason", reason);
        decoy.set("grants", grantList(grants));
        plantedMembers.add(from);
    }

    private static ArrayNode grantList(TruthGrant... grants) {
        ArrayNode list = NODES.arrayNode();
        for (TruthGrant grant : grants) {
            ObjectNode node = list.addObject();
            node.put("resource", grant.resource());
            node.put("role", grant.role());
            node.put("member", grant.member());
            if (grant.condition() != null) {
                node.put("condition", grant.condition().expression());
            }
        }
        return list;
    }
}
