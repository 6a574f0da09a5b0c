package dev.nhigraph.aws.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.AwsOrganizationsNotInUseException;
import software.amazon.awssdk.services.organizations.model.DescribeOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.ListAccountsForParentResponse;
import software.amazon.awssdk.services.organizations.model.ListAccountsResponse;
import software.amazon.awssdk.services.organizations.model.ListOrganizationalUnitsForParentResponse;
import software.amazon.awssdk.services.organizations.model.ListPoliciesResponse;
import software.amazon.awssdk.services.organizations.model.ListRootsResponse;
import software.amazon.awssdk.services.organizations.model.ListTargetsForPolicyResponse;
import software.amazon.awssdk.services.organizations.model.PolicyType;

/**
 * Collects the organisation that the caller's account manages or administers: roots, OUs and accounts per parent,
 * and the SCPs and RCPs with their documents and targets, in the layout of the offline bundle's organizations folder.
 */
final class OrganizationCollector {

    private static final Logger log = LoggerFactory.getLogger(OrganizationCollector.class);

    private final AwsClients clients;
    private final Calls calls;
    private final BundleFolder bundle;

    OrganizationCollector(AwsClients clients, Calls calls, BundleFolder bundle) {
        this.clients = clients;
        this.calls = calls;
        this.bundle = bundle;
    }

    /**
     * Collects the organisation and returns the ids of its active accounts, or empty when the account is in no
     * organisation or the credentials may not read it (a gap then records why).
     */
    List<String> collect(Account caller) {
        OrganizationsClient organizations = clients.organizations(caller);
        String id = caller.id();
        Optional<DescribeOrganizationResponse> organization = calls.one(id, null, "organizations",
                "DescribeOrganization", () -> {
                    try {
                        return organizations.describeOrganization();
                    } catch (AwsOrganizationsNotInUseException e) {
                        log.info("Account {} is in no organisation, so no organisation is collected", id);
                        return null;
                    }
                });
        if (organization.isEmpty()) {
            return List.of();
        }
        write(CliJson.of(organization.get()), "organization.json");

        Optional<ObjectNode> roots = calls.allPages(id, null, "organizations", "ListRoots",
                token -> organizations.listRoots(request -> request.nextToken(token)), ListRootsResponse::nextToken);
        roots.ifPresent(json -> write(json, "roots.json"));
        Optional<ObjectNode> accounts = calls.allPages(id, null, "organizations", "ListAccounts",
                token -> organizations.listAccounts(request -> request.nextToken(token)), ListAccountsResponse::nextToken);
        accounts.ifPresent(json -> write(json, "accounts.json"));

        Deque<String> parents = new ArrayDeque<>();
        roots.ifPresent(json -> json.path("Roots").forEach(root -> parents.add(root.path("Id").asText())));
        while (!parents.isEmpty()) {
            String parent = parents.poll();
            calls.allPages(id, null, "organizations", "ListOrganizationalUnitsForParent",
                    token -> organizations.listOrganizationalUnitsForParent(request -> request.parentId(parent).nextToken(token)),
                    ListOrganizationalUnitsForParentResponse::nextToken).ifPresent(json -> {
                        write(json, "children", parent, "ous.json");
                        json.path("OrganizationalUnits").forEach(unit -> parents.add(unit.path("Id").asText()));
                    });
            calls.allPages(id, null, "organizations", "ListAccountsForParent",
                    token -> organizations.listAccountsForParent(request -> request.parentId(parent).nextToken(token)),
                    ListAccountsForParentResponse::nextToken).ifPresent(json -> write(json, "children", parent, "accounts.json"));
        }

        policies(id, organizations, PolicyType.SERVICE_CONTROL_POLICY, "service-control-policy-list.json");
        policies(id, organizations, PolicyType.RESOURCE_CONTROL_POLICY, "resource-control-policy-list.json");

        List<String> active = new ArrayList<>();
        accounts.ifPresent(json -> json.path("Accounts").forEach(account -> {
            if ("ACTIVE".equals(account.path("Status").asText("ACTIVE"))) {
                active.add(account.path("Id").asText());
            }
        }));
        log.info("Organisation {}: {} active accounts", organization.get().organization().id(), active.size());
        return active;
    }

    private void policies(String id, OrganizationsClient organizations, PolicyType type, String fileName) {
        Optional<ObjectNode> list = calls.allPages(id, null, "organizations", "ListPolicies",
                token -> organizations.listPolicies(request -> request.filter(type).nextToken(token)),
                ListPoliciesResponse::nextToken);
        if (list.isEmpty()) {
            return;
        }
        write(list.get(), "policies", fileName);
        List<String> policyIds = new ArrayList<>();
        list.get().path("Policies").forEach(policy -> policyIds.add(policy.path("Id").asText()));
        calls.forEach(policyIds, policyId -> {
            calls.one(id, null, "organizations", "DescribePolicy",
                            () -> organizations.describePolicy(request -> request.policyId(policyId)))
                    .ifPresent(policy -> write(CliJson.of(policy), "policies", policyId, "policy.json"));
            calls.allPages(id, null, "organizations", "ListTargetsForPolicy",
                    token -> organizations.listTargetsForPolicy(request -> request.policyId(policyId).nextToken(token)),
                    ListTargetsForPolicyResponse::nextToken).ifPresent(json -> write(json, "policies", policyId, "targets.json"));
        });
    }

    private void write(JsonNode json, String... path) {
        bundle.write(json, "organizations", path);
    }
}
