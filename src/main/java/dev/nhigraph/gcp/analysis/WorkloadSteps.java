package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory.Resource;
import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.GcpNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives the steps through workloads: creating one that runs as the account ({@code new-workload}), taking over
 * an existing one ({@code existing-workload}) and running work as a project's service agent
 * ({@code service-agent}).
 *
 * <p>A new workload is created in the target account's project: attaching an account of another project is off by
 * default (organization policy {@code iam.disableCrossProjectServiceAccountUsage}), so cross-project creation is not
 * derived. The workload-creating permissions do not depend on the target, so they are checked once per caller,
 * technique and project.
 *
 * <p>An existing workload is used in one of two ways. When the caller can change the workload's account
 * ({@code any-in-target-project}), any workload of the type in the target's project will do. When the caller runs
 * code in the workload as it is ({@code runs-as-target}), the step goes to the account the workload runs as, from
 * {@link AttachedAccounts}; a technique of the first kind does the same where that account is recorded. If the
 * account is unknown, techniques of the second kind that also need actAs give conditional steps to the accounts of
 * the project the caller may act as, and the others give none, with a warning.
 */
final class WorkloadSteps {

    private static final String ACT_AS = "iam.serviceAccounts.actAs";

    /**
     * The number of workloads without a recorded account that get conditional steps to every account their
     * modifiers may act as. Each fans out to sources times accounts, and 35,000 such workloads did not finish in
     * ten minutes on two cores.
     *
     * <p>NOTE: beyond this bound such workloads give no step, only a warning. Adding the instance, function and Cloud
     * Run service lists to the bundle records their accounts, which makes their steps exact and outside this bound.
     */
    static final int MAX_UNKNOWN_WORKLOADS = 1_000;

    private final Derivation derivation;
    private final Map<String, Check> projectChecks = new HashMap<>();
    private final Derivation.ProjectSourceCache projectSources;
    private final Set<String> membersInBindings;

    WorkloadSteps(Derivation derivation, Set<String> membersInBindings) {
        this.derivation = derivation;
        this.projectSources = derivation.new ProjectSourceCache();
        this.membersInBindings = membersInBindings;
    }

    void run(List<ServiceAccount> accounts, List<String> projects) {
        List<GcpTechnique> attaching = new ArrayList<>(derivation.techniques("new-workload"));
        for (GcpTechnique technique : derivation.techniques("existing-workload")) {
            if (technique.workload().match().equals("any-in-target-project")) {
                attaching.add(technique);
            }
        }
        for (ServiceAccount account : accounts) {
            attach(attaching, account);
        }
        for (GcpTechnique technique : derivation.techniques("existing-workload")) {
            runAsWorkload(technique);
        }
        for (GcpTechnique technique : derivation.techniques("service-agent")) {
            for (String project : projects) {
                serviceAgent(technique, project);
            }
        }
    }

    // ---- techniques that attach the target to a new or existing workload ------------------------------------------

    private void attach(List<GcpTechnique> techniques, ServiceAccount account) {
        String resource = account.resourceName();
        String project = GcpNames.projectName(account.projectId());
        for (Derivation.AccountSource candidate : derivation.accountSources(ACT_AS, account, projectSources)) {
            String source = candidate.principal();
            // A scope-wide step of this rank or better covers the pair, so techniques that cannot beat it are skipped.
            int covered = candidate.scopeRank();
            Check actAs = null;
            for (GcpTechnique technique : techniques) {
                if (covered <= derivation.bestPossibleRank(technique)) {
                    continue;
                }
                Check where = projectCheck(source, technique, project);
                if (!where.possible()) {
                    continue;
                }
                if (actAs == null) {
                    actAs = derivation.check(source, ACT_AS, resource);
                }
                if (!actAs.possible()) {
                    break;
                }
                Check check = actAs.and(where);
                derivation.offerStep(source, account.member(), technique, check);
                if (!check.conditional() && technique.conditional() == null) {
                    // Later techniques rank lower for the same pair, so they cannot replace this step.
                    break;
                }
            }
        }
    }

    /** Checks what a technique needs besides actAs, in the project where the workload is or will be. */
    private Check projectCheck(String source, GcpTechnique technique, String project) {
        String key = source + "\u0000" + technique.id() + "\u0000" + project;
        Check cached = projectChecks.get(key);
        if (cached != null) {
            return cached;
        }
        Check check;
        if (technique.workload() == null) {
            check = derivation.checkAll(source, technique, "target-project", project);
        } else {
            check = derivation.checkAll(source, technique, "workload-project", project);
            if (check.possible()) {
                check = check.and(bestWorkload(source, technique, project));
            }
        }
        projectChecks.put(key, check);
        return check;
    }

    /** Returns the best check of the technique's workload permissions over the workloads of the project. */
    private Check bestWorkload(String source, GcpTechnique technique, String project) {
        Check best = Check.NO;
        for (Resource workload : derivation.hierarchy.resourcesInProject(project, Set.copyOf(technique.workload().assetTypes()))) {
            Check check = derivation.checkAll(source, technique, "workload", workload.name());
            if (check.possible() && (!best.possible() || (best.conditional() && !check.conditional()))) {
                best = check.noting("Uses the existing " + workload.assetType() + " " + workload.name() + ".");
            }
            if (best.possible() && !best.conditional()) {
                break;
            }
        }
        return best;
    }

    // ---- techniques that run code in a workload as it is ----------------------------------------------------------

    private int unknownWorkloads;
    private String actAsProject;
    private Map<String, Set<String>> actAsByAccount = Map.of();
    private Set<String> handledSources = new HashSet<>();

    /**
     * Derives the steps to the accounts that existing workloads run as. A technique that can change the workload's
     * account ({@code any-in-target-project}) also keeps it, so it steps to the recorded account even in another
     * project than the workload's; its workloads of unknown account are left to {@link #attach}.
     */
    private void runAsWorkload(GcpTechnique technique) {
        boolean needsActAs = technique.permissionsOn("target").contains(ACT_AS);
        boolean changesAccount = technique.workload().match().equals("any-in-target-project");
        Set<String> types = Set.copyOf(technique.workload().assetTypes());
        int unknown = 0;
        for (Resource workload : workloadsOfTypes(types)) {
            String project = derivation.hierarchy.projectOf(workload.name());
            if (project == null) {
                continue;
            }
            List<String> emails = derivation.attached.of(workload.name());
            if (emails == null && changesAccount) {
                continue;
            }
            if (emails == null) {
                unknown++;
                if (needsActAs && unknownWorkloads < MAX_UNKNOWN_WORKLOADS) {
                    unknownWorkloads++;
                    unknownAccount(technique, workload, project);
                }
                continue;
            }
            for (String email : emails) {
                ServiceAccount account = derivation.hierarchy.accountByEmail(email);
                for (String source : workloadSources(technique, workload, project)) {
                    Check check = workloadCheck(source, technique, workload, project);
                    if (needsActAs && check.possible()) {
                        check = withActAs(source, check, account, email);
                    }
                    derivation.offerStep(source, "serviceAccount:" + email, technique,
                            check.noting(workload.name() + " runs as " + email + "."));
                }
            }
        }
        if (unknown > 0 && needsActAs && unknownWorkloads >= MAX_UNKNOWN_WORKLOADS) {
            derivation.warn("More than " + MAX_UNKNOWN_WORKLOADS + " workloads have no recorded service account, so"
                    + " technique " + technique.id() + " (" + technique.name() + ") gave conditional steps for the first "
                    + MAX_UNKNOWN_WORKLOADS + " only.");
        }
        if (unknown > 0 && !needsActAs) {
            derivation.warn(unknown + " workload(s) of type " + String.join(" or ", types) + " have no recorded service"
                    + " account, so technique " + technique.id() + " (" + technique.name() + ") gives no step for them.");
        }
    }

    /**
     * Adds actAs on the workload's account to {@code check}. When the account or its project is not in the
     * inventory, its own policy and its project's bindings are unknown, so actAs that the known bindings do not grant
     * makes the step conditional rather than impossible.
     */
    private Check withActAs(String source, Check check, ServiceAccount account, String email) {
        Check actAs = account == null ? Check.NO : derivation.check(source, ACT_AS, account.resourceName());
        boolean projectKnown = account != null && account.projectId() != null
                && derivation.hierarchy.resource(GcpNames.projectName(account.projectId())) != null;
        if (actAs.possible() || projectKnown) {
            return check.and(actAs);
        }
        return check.conditionalBecause("The account " + email + " or its project is not in the bundle, so actAs on it"
                + " cannot be checked.");
    }

    /**
     * Derives conditional steps for a workload whose account is unknown, when the technique needs actAs on it: every
     * account of the project the source may act as could be the one, so each gets a conditional step.
     */
    private void unknownAccount(GcpTechnique technique, Resource workload, String project) {
        Map<String, Set<String>> actAsSources = actAsSourcesOfAccounts(project);
        for (String source : workloadSources(technique, workload, project)) {
            Check check = workloadCheck(source, technique, workload, project);
            if (!check.possible()) {
                continue;
            }
            // Every workload of the project gives a source the same conditional steps, so the first workload the
            // source can use stands for all of them as evidence.
            if (!handledSources.add(technique.id() + '|' + source)) {
                continue;
            }
            for (ServiceAccount account : derivation.hierarchy.accountsUnder(project)) {
                // A step that is already recorded for the pair ranks at least as high as this conditional one, and
                // skipping it saves a decision: an editor of a folder would otherwise repeat one per account below.
                if (!actAsSources.get(account.resourceName()).contains(source) || derivation.hasStep(source, account.member())) {
                    continue;
                }
                Check actAs = derivation.check(source, ACT_AS, account.resourceName());
                derivation.offerStep(source, account.member(), technique, check.and(actAs).conditionalBecause(
                        "The bundle does not record which account " + workload.name() + " runs as, so this holds"
                                + " only if it runs as " + account.email() + "."));
            }
        }
    }

    /**
     * Returns, per account of {@code project}, the principals that may act as it. Workloads of one project come
     * together, so the last project's answer is kept: without it every source of every workload recomputed the
     * sets, which took over ten minutes on 35,000 workloads.
     */
    private Map<String, Set<String>> actAsSourcesOfAccounts(String project) {
        if (!project.equals(actAsProject)) {
            actAsByAccount = new HashMap<>();
            for (ServiceAccount account : derivation.hierarchy.accountsUnder(project)) {
                actAsByAccount.put(account.resourceName(), derivation.sourcesWith(ACT_AS, account.resourceName()));
            }
            handledSources = new HashSet<>();
            actAsProject = project;
        }
        return actAsByAccount;
    }

    private Set<String> workloadSources(GcpTechnique technique, Resource workload, String project) {
        Set<String> sources = new LinkedHashSet<>();
        for (GcpTechnique.Requirement requirement : technique.requires()) {
            if (requirement.on().equals("workload")) {
                return derivation.sourcesWith(requirement.permission(), workload.name());
            }
            if (requirement.on().equals("workload-project")) {
                return derivation.sourcesWith(requirement.permission(), project);
            }
        }
        return sources;
    }

    private Check workloadCheck(String source, GcpTechnique technique, Resource workload, String project) {
        Check check = derivation.checkAll(source, technique, "workload", workload.name());
        if (check.possible()) {
            check = check.and(derivation.checkAll(source, technique, "workload-project", project));
        }
        return check;
    }

    private List<Resource> workloadsOfTypes(Set<String> types) {
        List<Resource> result = new ArrayList<>();
        for (Resource resource : derivation.hierarchy.leafResources()) {
            // A resource that only an IAM policy names, such as a bucket missing from search-all-resources, has no type.
            if (resource.assetType() != null && types.contains(resource.assetType())) {
                result.add(resource);
            }
        }
        return result;
    }

    // ---- service agents -------------------------------------------------------------------------------------------

    /**
     * Derives steps to the project's service agent, as which the work runs. The step goes to the agent only when some
     * binding names it, because an agent without roles gains the caller nothing.
     */
    private void serviceAgent(GcpTechnique technique, String project) {
        String number = derivation.hierarchy.projectNumber(Hierarchy.projectId(project));
        if (number == null) {
            return;
        }
        String agent = "serviceAccount:" + technique.serviceAgent().replace("{projectNumber}", number);
        if (!membersInBindings.contains(agent)) {
            return;
        }
        List<Resource> workloads = technique.workload() == null ? null
                : derivation.hierarchy.resourcesInProject(project, Set.copyOf(technique.workload().assetTypes()));
        if (workloads != null && workloads.isEmpty()) {
            return;
        }
        Set<String> sources = new HashSet<>();
        for (GcpTechnique.Requirement requirement : technique.requires()) {
            if (requirement.on().equals("target-project")) {
                sources.addAll(derivation.sourcesWith(requirement.permission(), project));
            } else {
                for (Resource workload : workloads) {
                    sources.addAll(derivation.sourcesWith(requirement.permission(), workload.name()));
                }
            }
            break;
        }
        for (String source : sources) {
            if (derivation.unconditionalAdminOfAncestor(source, project)) {
                continue;
            }
            Check check = derivation.checkAll(source, technique, "target-project", project);
            if (check.possible() && workloads != null) {
                check = check.and(bestWorkload(source, technique, project));
            }
            derivation.offerStep(source, agent, technique, check);
        }
    }
}
