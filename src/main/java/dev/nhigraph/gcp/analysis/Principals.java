package dev.nhigraph.gcp.analysis;

import dev.nhigraph.gcp.GcpInventory.ServiceAccount;
import dev.nhigraph.gcp.GcpNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Principal identifiers as IAM writes them, and which member strings of allow and deny policies include which
 * principal.
 *
 * <p>Group membership is not in the bundle, so a {@code group:} member includes only the group itself, and a deny
 * rule on a group does not reach the group's members. A {@code deleted:} identifier is a principal of its own and
 * never the same as a re-created account with the same email.
 */
final class Principals {

    static final String ALL_USERS = "allUsers";
    static final String ALL_AUTHENTICATED_USERS = "allAuthenticatedUsers";
    static final String PUBLIC_ALL = "principalSet://goog/public:all";

    private static final String ACCOUNT_SET_PREFIX = "principalSet://cloudresourcemanager.googleapis.com/";
    private static final String ACCOUNT_SET_SUFFIX = "/type/ServiceAccount";

    enum Kind { USER, SERVICE_ACCOUNT, GROUP, DOMAIN, ALL_USERS, ALL_AUTHENTICATED_USERS, FEDERATED, PRINCIPAL_SET, DELETED,
        CONVENIENCE, OTHER }

    /**
     * One principal.
     *
     * @param id             the identifier as IAM writes it in allow policies
     * @param email          the email for users, groups and service accounts, else null
     * @param domain         the email domain, or the domain of a {@code domain:} member, else null
     * @param accountProject the canonical name of a service account's project when it is known, else null
     */
    record Principal(String id, Kind kind, String email, String domain, String accountProject) {

        /** Tells whether the principal signs in with an identity, which {@code allAuthenticatedUsers} requires. */
        boolean authenticated() {
            return kind != Kind.ALL_USERS && kind != Kind.DELETED && kind != Kind.CONVENIENCE && kind != Kind.OTHER;
        }
    }

    private final Hierarchy hierarchy;
    private final Map<String, Principal> cache = new ConcurrentHashMap<>();

    Principals(Hierarchy hierarchy) {
        this.hierarchy = hierarchy;
    }

    Principal parse(String id) {
        return cache.computeIfAbsent(id, this::create);
    }

    private Principal create(String id) {
        if (id.equals(ALL_USERS)) {
            return new Principal(id, Kind.ALL_USERS, null, null, null);
        }
        if (id.equals(ALL_AUTHENTICATED_USERS)) {
            return new Principal(id, Kind.ALL_AUTHENTICATED_USERS, null, null, null);
        }
        if (id.startsWith("deleted:")) {
            return new Principal(id, Kind.DELETED, null, null, null);
        }
        if (id.startsWith("principal://")) {
            return new Principal(id, Kind.FEDERATED, null, null, null);
        }
        if (id.startsWith("principalSet://")) {
            return new Principal(id, Kind.PRINCIPAL_SET, null, null, null);
        }
        if (isConvenience(id)) {
            return new Principal(id, Kind.CONVENIENCE, null, null, null);
        }
        int colon = id.indexOf(':');
        if (colon < 0) {
            return new Principal(id, Kind.OTHER, null, null, null);
        }
        String type = id.substring(0, colon);
        String value = id.substring(colon + 1);
        switch (type) {
            case "user":
                return new Principal(id, Kind.USER, value, domainOf(value), null);
            case "group":
                return new Principal(id, Kind.GROUP, value, domainOf(value), null);
            case "domain":
                return new Principal(id, Kind.DOMAIN, null, value.toLowerCase(Locale.ROOT), null);
            case "serviceAccount":
                return new Principal(id, Kind.SERVICE_ACCOUNT, value, domainOf(value), projectOfAccount(value));
            default:
                return new Principal(id, Kind.OTHER, null, null, null);
        }
    }

    static boolean isConvenience(String member) {
        return member.startsWith("projectOwner:") || member.startsWith("projectEditor:")
                || member.startsWith("projectViewer:");
    }

    private static String domainOf(String email) {
        int at = email.lastIndexOf('@');
        return at < 0 ? null : email.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the canonical project of a service account: from the inventory, from a user-managed account's email
     * domain, or from the project number or id in the email of a default account or service agent.
     */
    private String projectOfAccount(String email) {
        ServiceAccount account = hierarchy.accountByEmail(email);
        if (account != null) {
            return GcpNames.projectName(account.projectId());
        }
        int at = email.indexOf('@');
        if (at < 0) {
            return null;
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        if (domain.endsWith(".iam.gserviceaccount.com") && !domain.startsWith("gcp-sa-")) {
            return GcpNames.projectName(GcpNames.projectOfEmail(email));
        }
        if (domain.equals("developer.gserviceaccount.com") && local.endsWith("-compute")) {
            return hierarchy.projectByIdOrNumber(local.substring(0, local.length() - "-compute".length()));
        }
        if (domain.equals("appspot.gserviceaccount.com")) {
            return GcpNames.projectName(local);
        }
        if (domain.equals("cloudservices.gserviceaccount.com") || domain.equals("cloudbuild.gserviceaccount.com")) {
            return hierarchy.projectByIdOrNumber(local);
        }
        if (local.startsWith("service-")) {
            return hierarchy.projectByIdOrNumber(local.substring("service-".length()));
        }
        return null;
    }

    /**
     * Tells whether a member that names a set of principals includes {@code principal}: {@code allUsers},
     * {@code allAuthenticatedUsers}, {@code domain:D} (users and groups of D, not service accounts), the service
     * accounts of a project, folder or organization ({@code principalSet://cloudresourcemanager.googleapis.com/...})
     * and every identity of a workload or workforce identity pool ({@code principalSet://.../POOL/*}). Returns false
     * for a member that names no set or a set that does not include the principal, and for convenience members,
     * which need the bindings to decide.
     */
    boolean setIncludes(String member, Principal principal) {
        if (member.equals(principal.id())) {
            return true;
        }
        if (member.equals(ALL_USERS) || member.equals(PUBLIC_ALL)) {
            return principal.kind() != Kind.DELETED;
        }
        if (member.equals(ALL_AUTHENTICATED_USERS)) {
            return principal.authenticated();
        }
        if (member.startsWith("domain:")) {
            return (principal.kind() == Kind.USER || principal.kind() == Kind.GROUP)
                    && member.substring("domain:".length()).equalsIgnoreCase(principal.domain());
        }
        if (member.startsWith(ACCOUNT_SET_PREFIX) && member.endsWith(ACCOUNT_SET_SUFFIX)) {
            if (principal.kind() != Kind.SERVICE_ACCOUNT || principal.accountProject() == null) {
                return false;
            }
            String container = accountSetContainer(member);
            return container != null && hierarchy.ancestors(principal.accountProject()).contains(container);
        }
        if (member.startsWith("principalSet://iam.googleapis.com/") && member.endsWith("/*")) {
            String pool = member.substring("principalSet://".length(), member.length() - 1);
            return principal.id().startsWith("principal://" + pool) || principal.id().startsWith("principalSet://" + pool);
        }
        return false;
    }

    /** Returns the canonical container of a {@code principalSet://cloudresourcemanager.googleapis.com/...} member. */
    private String accountSetContainer(String member) {
        String path = member.substring(ACCOUNT_SET_PREFIX.length(), member.length() - ACCOUNT_SET_SUFFIX.length());
        int slash = path.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String type = path.substring(0, slash);
        String id = path.substring(slash + 1);
        return switch (type) {
            case "projects" -> hierarchy.projectByIdOrNumber(id);
            case "folders" -> GcpNames.folderName(id);
            case "organizations" -> GcpNames.organizationName(id);
            default -> null;
        };
    }

    /**
     * Returns the identifiers that deny policies use for {@code principal}: {@code principal://goog/subject/EMAIL}
     * for a user, {@code principal://iam.googleapis.com/projects/-/serviceAccounts/EMAIL} (and by unique id) for a
     * service account, {@code principalSet://goog/group/EMAIL} for a group, their {@code deleted:} forms, and the
     * allow-policy identifier itself for federated identities.
     */
    List<String> denyIdentifiers(Principal principal) {
        List<String> identifiers = new ArrayList<>();
        identifiers.add(principal.id());
        switch (principal.kind()) {
            case USER -> identifiers.add("principal://goog/subject/" + principal.email());
            case GROUP -> identifiers.add("principalSet://goog/group/" + principal.email());
            case SERVICE_ACCOUNT -> {
                identifiers.add("principal://iam.googleapis.com/projects/-/serviceAccounts/" + principal.email());
                ServiceAccount account = hierarchy.accountByEmail(principal.email());
                if (account != null && account.uniqueId() != null) {
                    identifiers.add("principal://iam.googleapis.com/projects/-/serviceAccounts/" + account.uniqueId());
                }
            }
            case DELETED -> {
                String rest = principal.id().substring("deleted:".length());
                if (rest.startsWith("serviceAccount:")) {
                    identifiers.add("deleted:principal://iam.googleapis.com/projects/-/serviceAccounts/"
                            + rest.substring("serviceAccount:".length()));
                } else if (rest.startsWith("user:")) {
                    identifiers.add("deleted:principal://goog/subject/" + rest.substring("user:".length()));
                } else if (rest.startsWith("group:")) {
                    identifiers.add("deleted:principalSet://goog/group/" + rest.substring("group:".length()));
                }
            }
            default -> {
            }
        }
        return identifiers;
    }

    /** Tells whether the deny-policy identifier {@code denied} includes {@code principal}. */
    boolean denyIncludes(String denied, Principal principal) {
        if (denied.equals(PUBLIC_ALL)) {
            return true;
        }
        if (denyIdentifiers(principal).contains(denied)) {
            return true;
        }
        return setIncludes(denied, principal);
    }
}
