package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpInventory.Binding;
import dev.nhigraph.gcp.GcpInventory.Condition;
import dev.nhigraph.gcp.GcpInventory.DenyRule;
import dev.nhigraph.gcp.GcpInventory.Resource;
import dev.nhigraph.gcp.GcpInventory.Role;
import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.GcpRoleCatalog;
import dev.nhigraph.gcp.analysis.GcpAnalysis.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Times {@link GcpAnalysis#derive} on a generated organization of {@value #PROJECTS} projects in {@value #FOLDERS}
 * folders, {@value #ACCOUNTS_PER_PROJECT} service accounts per project (80,000 in all) and about 500,000 bindings.
 * It is a measurement, not a test: it asserts nothing about time and runs only when asked for, with
 * {@code mvn -o test -Dtest=GcpAnalysisBenchmark -Dnhigraph.gcp.benchmark=true}.
 *
 * <p>The organization is generated from {@link #SEED}. Each project has viewers, two editors, a CI account with
 * serviceAccountUser and Cloud Build rights, a conditional deployer, five VMs with attached accounts and five
 * bindings on each account (token creators from the same and other projects, key admins, users). Folders and the
 * organization add administrators, project IAM admins, viewers and a deny rule on key creation.
 */
class GcpAnalysisBenchmark {

    static final long SEED = 20260601L;
    static final int FOLDERS = 50;
    static final int PROJECTS = 2000;
    static final int ACCOUNTS_PER_PROJECT = 40;

    @Test
    @EnabledIfSystemProperty(named = "nhigraph.gcp.benchmark", matches = "true")
    void deriveLargeOrganization() {
        // The analysis logs its phase durations at INFO, and the test configuration shows only WARN.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(GcpAnalysis.class))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        long started = System.nanoTime();
        Generated generated = generate();
        GcpInventory inventory = generated.inventory;
        long generatedAt = System.nanoTime();
        System.out.printf("generated %d accounts, %d bindings, %d resources in %d ms%n",
                inventory.serviceAccounts().size(), inventory.bindings().size(), inventory.resources().size(),
                (generatedAt - started) / 1_000_000);

        Result result = GcpAnalysis.derive(inventory, GcpRoleCatalog.loadDefault(), Instant.parse("2026-06-01T12:00:00Z"),
                generated.attached);
        long derivedAt = System.nanoTime();

        Runtime runtime = Runtime.getRuntime();
        System.out.printf("derived %d steps (%d conditional), %d admin grants, %d access entries, %d warnings in %d ms;"
                        + " heap used %d MiB of max %d MiB, %d processors%n",
                result.steps().size(), result.steps().stream().filter(GcpAnalysis.Step::conditional).count(),
                result.admins().size(), result.access().size(), result.warnings().size(),
                (derivedAt - generatedAt) / 1_000_000, (runtime.totalMemory() - runtime.freeMemory()) >> 20,
                runtime.maxMemory() >> 20, runtime.availableProcessors());
    }

    private record Generated(GcpInventory inventory, AttachedAccounts attached) {
    }

    static Generated generate() {
        Random random = new Random(SEED);
        String org = GcpNames.organizationName("424242");
        List<Resource> resources = new ArrayList<>();
        List<ServiceAccount> accounts = new ArrayList<>();
        List<Binding> bindings = new ArrayList<>();
        Map<String, String> numbers = new HashMap<>();
        Map<String, List<String>> attached = new HashMap<>();
        List<Role> roles = new ArrayList<>();
        Map<String, Integer> indexes = new HashMap<>();

        resources.add(new Resource(org, GcpNames.ORGANIZATION_TYPE, null, null, "bench", "ACTIVE", "bench"));
        for (int f = 0; f < FOLDERS; f++) {
            String folder = GcpNames.folderName(String.valueOf(1000 + f));
            resources.add(new Resource(folder, GcpNames.FOLDER_TYPE, org, null, "f" + f, "ACTIVE", "bench"));
            bind(bindings, indexes, folder, "roles/resourcemanager.folderAdmin", null, "group:folder-admins-" + f + "@bench.example");
            bind(bindings, indexes, folder, "roles/resourcemanager.projectIamAdmin", null, "user:lead-" + f + "@bench.example");
            for (int i = 0; i < 18; i++) {
                bind(bindings, indexes, folder, "roles/viewer", null, "user:auditor-" + f + "-" + i + "@bench.example");
            }
        }
        for (int i = 0; i < 5; i++) {
            bind(bindings, indexes, org, "roles/owner", null, "user:org-admin-" + i + "@bench.example");
        }
        for (int i = 0; i < 95; i++) {
            bind(bindings, indexes, org, "roles/iam.securityReviewer", null, "user:reviewer-" + i + "@bench.example");
        }

        for (int p = 0; p < PROJECTS; p++) {
            String id = "bench-p" + p;
            String number = String.valueOf(500000000000L + p);
            numbers.put(number, id);
            String project = GcpNames.projectName(id);
            String folder = GcpNames.folderName(String.valueOf(1000 + p % FOLDERS));
            resources.add(new Resource(project, GcpNames.PROJECT_TYPE, folder, id, id, "ACTIVE", "bench"));
            String deployer = "projects/" + id + "/roles/deployer";
            roles.add(new Role(deployer, "deployer", "GA", false, List.of("iam.serviceAccounts.actAs",
                    "run.services.create", "run.services.update", "cloudfunctions.functions.create"), "bench"));

            List<String> members = new ArrayList<>();
            for (int a = 0; a < ACCOUNTS_PER_PROJECT; a++) {
                String email = "sa-" + a + "@" + id + ".iam.gserviceaccount.com";
                accounts.add(new ServiceAccount(email, id, String.valueOf(p * 1000L + a), null, a == 39, "bench"));
                members.add("serviceAccount:" + email);
            }

            // Project-level bindings.
            for (int i = 0; i < 14; i++) {
                bind(bindings, indexes, project, "roles/viewer", null, "user:dev-" + p + "-" + i + "@bench.example");
            }
            bind(bindings, indexes, project, "roles/editor", null, "user:owner-" + p + "@bench.example", members.get(0));
            bind(bindings, indexes, project, "roles/iam.serviceAccountUser", null, members.get(1));
            bind(bindings, indexes, project, "roles/cloudbuild.builds.editor", null, members.get(1));
            bind(bindings, indexes, project, deployer,
                    "request.time < timestamp('2027-01-01T00:00:00Z')", "group:deployers-" + p + "@bench.example");
            bind(bindings, indexes, project, "roles/compute.osAdminLogin", null, "group:ops-" + p + "@bench.example");
            bind(bindings, indexes, project, "roles/storage.objectViewer", null, members.get(2), members.get(3));
            for (int i = 0; i < 20; i++) {
                bind(bindings, indexes, project, "roles/logging.logWriter", null, members.get(4 + i));
            }
            String bucket = "//storage.googleapis.com/" + id + "-data";
            resources.add(new Resource(bucket, "storage.googleapis.com/Bucket", project, id, null, null, "bench"));
            bind(bindings, indexes, bucket, "roles/storage.objectAdmin", null, members.get(5));
            for (int v = 0; v < 5; v++) {
                String vm = "//compute.googleapis.com/projects/" + id + "/zones/z/instances/vm" + v;
                resources.add(new Resource(vm, "compute.googleapis.com/Instance", project, id, null, null, "bench"));
                attached.put(vm, List.of(members.get(10 + v).substring("serviceAccount:".length())));
            }

            // Bindings on the accounts: five each.
            for (int a = 0; a < ACCOUNTS_PER_PROJECT; a++) {
                String account = GcpNames.serviceAccountName(id, "sa-" + a + "@" + id + ".iam.gserviceaccount.com");
                String peer = members.get(random.nextInt(ACCOUNTS_PER_PROJECT));
                int otherProject = random.nextInt(PROJECTS);
                String remote = "serviceAccount:sa-" + random.nextInt(ACCOUNTS_PER_PROJECT) + "@bench-p" + otherProject
                        + ".iam.gserviceaccount.com";
                bind(bindings, indexes, account, "roles/iam.serviceAccountTokenCreator", null, peer);
                bind(bindings, indexes, account, "roles/iam.serviceAccountTokenCreator", null, remote);
                bind(bindings, indexes, account, "roles/iam.serviceAccountUser", null, "user:dev-" + p + "-" + (a % 14) + "@bench.example");
                bind(bindings, indexes, account, "roles/iam.serviceAccountKeyAdmin", null, "group:key-admins-" + p + "@bench.example");
                bind(bindings, indexes, account, "roles/iam.serviceAccountViewer", null, "domain:bench.example");
            }
        }
        List<DenyRule> denyRules = List.of(new DenyRule(org, "policies/no-keys", List.of(Principals.PUBLIC_ALL),
                List.of("principalSet://goog/group/key-admins-0@bench.example"),
                List.of("iam.googleapis.com/serviceAccountKeys.create"), List.of(), null, "bench"));
        GcpInventory inventory = new GcpInventory(resources, accounts, List.of(), roles, bindings, denyRules, numbers,
                List.of(), List.of());
        return new Generated(inventory, new AttachedAccounts(attached));
    }

    private static void bind(List<Binding> bindings, Map<String, Integer> indexes, String resource, String role,
                             String expression, String... members) {
        Condition condition = expression == null ? null : new Condition("bench", null, expression);
        int index = indexes.merge(resource, 1, Integer::sum) - 1;
        bindings.add(new Binding(resource, role, List.of(members), condition, index, "bench"));
    }
}
