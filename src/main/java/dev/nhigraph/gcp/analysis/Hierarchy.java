package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpInventory.Resource;
import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.GcpNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resource hierarchy of an inventory, indexed for the lookups the analysis needs: the ancestors of a resource,
 * the service accounts and containers below a scope, and the resources of a type in a project.
 *
 * <p>A resource's parent is {@link Resource#parent()} when the inventory holds the resource. For a name the inventory
 * does not hold, the parent is derived from the name: a service account's parent is its project, and a name of the
 * form {@code //SERVICE/projects/P/...} lies in project P. A service account is a child of its project even when the
 * inventory lists it only in {@link GcpInventory#serviceAccounts()}.
 */
final class Hierarchy {

    private static final String PROJECT_PREFIX = "//cloudresourcemanager.googleapis.com/projects/";

    private final Map<String, Resource> resources = new HashMap<>();
    private final Map<String, ServiceAccount> accountsByEmail = new HashMap<>();
    private final Map<String, ServiceAccount> accountsByName = new HashMap<>();
    private final Map<String, String> projectNumbers;
    private final Map<String, String> numbersByProjectId = new HashMap<>();
    private final Map<String, List<String>> ancestors = new ConcurrentHashMap<>();
    private final Map<String, List<ServiceAccount>> accountsUnder = new HashMap<>();
    private final Map<String, List<String>> containersUnder = new HashMap<>();
    private final Map<String, List<Resource>> resourcesByProject = new HashMap<>();

    Hierarchy(GcpInventory inventory) {
        this.projectNumbers = inventory.projectNumbers();
        projectNumbers.forEach((number, id) -> numbersByProjectId.put(id, number));
        for (Resource resource : inventory.resources()) {
            resources.put(resource.name(), resource);
        }
        for (ServiceAccount account : inventory.serviceAccounts()) {
            accountsByEmail.put(account.email(), account);
            accountsByName.put(account.resourceName(), account);
        }

        // Index every account, container and other resource under each of its ancestors.
        for (ServiceAccount account : inventory.serviceAccounts()) {
            for (String ancestor : ancestors(account.resourceName())) {
                accountsUnder.computeIfAbsent(ancestor, k -> new ArrayList<>()).add(account);
            }
        }
        for (Resource resource : inventory.resources()) {
            if (GcpNames.isContainer(resource.name())) {
                for (String ancestor : ancestors(resource.name())) {
                    containersUnder.computeIfAbsent(ancestor, k -> new ArrayList<>()).add(resource.name());
                }
            } else if (!GcpNames.SERVICE_ACCOUNT_TYPE.equals(resource.assetType())) {
                String project = projectOf(resource.name());
                if (project != null) {
                    resourcesByProject.computeIfAbsent(project, k -> new ArrayList<>()).add(resource);
                }
            }
        }
    }

    Resource resource(String name) {
        return resources.get(name);
    }

    ServiceAccount accountByEmail(String email) {
        return accountsByEmail.get(email);
    }

    ServiceAccount accountByName(String resourceName) {
        return accountsByName.get(resourceName);
    }

    /** Returns the inventory's map of project number to project id. */
    Map<String, String> projectNumbersView() {
        return projectNumbers;
    }

    /** Returns the project number of {@code projectId}, or null when the inventory does not map it. */
    String projectNumber(String projectId) {
        return numbersByProjectId.get(projectId);
    }

    /** Returns the canonical name of a project given by number or id, as IAM identifiers write it. */
    String projectByIdOrNumber(String idOrNumber) {
        return GcpNames.projectName(projectNumbers.getOrDefault(idOrNumber, idOrNumber));
    }

    /** Returns {@code name} followed by its parent, the parent's parent and so on up to the root. */
    List<String> ancestors(String name) {
        List<String> cached = ancestors.get(name);
        if (cached != null) {
            return cached;
        }
        List<String> chain = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String current = name; current != null && seen.add(current); current = parentOf(current)) {
            chain.add(current);
        }
        List<String> result = Collections.unmodifiableList(chain);
        ancestors.put(name, result);
        return result;
    }

    /** Returns the parent of {@code name}, from the inventory or from the form of the name, or null at the root. */
    String parentOf(String name) {
        Resource resource = resources.get(name);
        if (resource != null) {
            return resource.parent();
        }
        ServiceAccount account = accountsByName.get(name);
        if (account != null) {
            return GcpNames.projectName(account.projectId());
        }
        if (GcpNames.isContainer(name)) {
            return null;
        }
        int projects = name.indexOf("/projects/", 2);
        if (name.startsWith("//") && projects > 0) {
            int start = projects + "/projects/".length();
            int end = name.indexOf('/', start);
            String project = end < 0 ? name.substring(start) : name.substring(start, end);
            if (!project.equals("-") && !project.equals("_")) {
                return GcpNames.projectName(projectNumbers.getOrDefault(project, project));
            }
        }
        return null;
    }

    /** Returns the canonical name of the project {@code name} is in (itself for a project), or null. */
    String projectOf(String name) {
        for (String ancestor : ancestors(name)) {
            if (ancestor.startsWith(PROJECT_PREFIX)) {
                return ancestor;
            }
        }
        return null;
    }

    static String projectId(String projectName) {
        return projectName.substring(PROJECT_PREFIX.length());
    }

    static boolean isProject(String name) {
        return name.startsWith(PROJECT_PREFIX);
    }

    /** Returns the service accounts at or below {@code scope}: the account itself when the scope is one. */
    List<ServiceAccount> accountsUnder(String scope) {
        return accountsUnder.getOrDefault(scope, List.of());
    }

    /** Returns the organizations, folders and projects at or below {@code scope}. */
    List<String> containersUnder(String scope) {
        return containersUnder.getOrDefault(scope, List.of());
    }

    /** Returns the resources of the project (not containers, not accounts) whose type is in {@code assetTypes}. */
    List<Resource> resourcesInProject(String projectName, Set<String> assetTypes) {
        List<Resource> result = new ArrayList<>();
        for (Resource resource : resourcesByProject.getOrDefault(projectName, List.of())) {
            if (assetTypes.contains(resource.assetType())) {
                result.add(resource);
            }
        }
        return result;
    }

    /** Returns every non-container resource of the inventory, service accounts excluded. */
    List<Resource> leafResources() {
        List<Resource> result = new ArrayList<>();
        resourcesByProject.values().forEach(result::addAll);
        return result;
    }

    /** Returns the asset type of {@code name}, from the inventory or from its form, or null when unknown. */
    String typeOf(String name) {
        Resource resource = resources.get(name);
        if (resource != null && resource.assetType() != null) {
            return resource.assetType();
        }
        if (accountsByName.containsKey(name) || (name.startsWith("//iam.googleapis.com/") && name.contains("/serviceAccounts/"))) {
            return GcpNames.SERVICE_ACCOUNT_TYPE;
        }
        if (name.startsWith(PROJECT_PREFIX)) {
            return GcpNames.PROJECT_TYPE;
        }
        if (name.startsWith("//cloudresourcemanager.googleapis.com/folders/")) {
            return GcpNames.FOLDER_TYPE;
        }
        if (name.startsWith("//cloudresourcemanager.googleapis.com/organizations/")) {
            return GcpNames.ORGANIZATION_TYPE;
        }
        return null;
    }

    /**
     * Returns the names an IAM condition may see for {@code name} in {@code resource.name}: the full name, the
     * relative name after the service, the project-number variant, {@code projects/_/buckets/B} for a bucket and
     * {@code projects/-/serviceAccounts/EMAIL} (and the unique id) for a service account.
     */
    Set<String> conditionNames(String name) {
        Set<String> names = new LinkedHashSet<>();
        names.add(name);
        if (!name.startsWith("//")) {
            return names;
        }
        int slash = name.indexOf('/', 2);
        if (slash < 0) {
            return names;
        }
        String relative = name.substring(slash + 1);
        names.add(relative);
        if (name.startsWith("//storage.googleapis.com/") && !relative.contains("/")) {
            names.add("projects/_/buckets/" + relative);
        }

        String project = projectOf(name);
        if (project != null) {
            String projectId = projectId(project);
            String number = numbersByProjectId.get(projectId);
            String idSegment = "projects/" + projectId;
            if (number != null && (relative.equals(idSegment) || relative.startsWith(idSegment + "/"))) {
                names.add("projects/" + number + relative.substring(idSegment.length()));
            }
        }

        ServiceAccount account = accountsByName.get(name);
        if (account != null) {
            names.add("projects/-/serviceAccounts/" + account.email());
            if (account.uniqueId() != null) {
                names.add("projects/-/serviceAccounts/" + account.uniqueId());
            }
        }
        return names;
    }
}
