package dev.nhigraph.gcp.bundle;

import static dev.nhigraph.gcp.bundle.JsonValues.strings;
import static dev.nhigraph.gcp.bundle.JsonValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.gcp.GcpInventory;
import dev.nhigraph.gcp.GcpNames;
import dev.nhigraph.gcp.bundle.RawInventory.BindingFact;
import dev.nhigraph.gcp.bundle.RawInventory.PolicyFact;
import dev.nhigraph.gcp.bundle.RawInventory.ResourceFact;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the output of {@code gcloud asset search-all-iam-policies} and {@code gcloud asset search-all-resources}. */
final class AssetSearchReader {

    private static final Logger log = LoggerFactory.getLogger(AssetSearchReader.class);

    private AssetSearchReader() {
    }

    /** Reads IamPolicySearchResult items: each binding of each policy, and the ancestry of the policy's resource. */
    static void readPolicies(Items items, String file, RawInventory raw) {
        int bindings = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String resource = text(item, "resource");
            if (resource == null || !item.path("policy").isObject()) {
                raw.skip(file, items.label(i), "the item has no resource or no policy, so it does not say which policy is"
                        + " set where. Check that the file is unedited `" + GcloudFileKind.IAM_POLICY_SEARCH.source()
                        + "` output.");
                continue;
            }
            Ancestry.of(item).addFacts(resource, text(item, "assetType"), file, raw);

            JsonNode list = item.path("policy").path("bindings");
            List<BindingFact> read = new ArrayList<>();
            for (int index = 0; index < list.size(); index++) {
                BindingFact binding = binding(list.get(index), index, resource, file, raw);
                if (binding != null) {
                    read.add(binding);
                }
            }
            raw.policies.add(new PolicyFact(resource, file, "policy on " + resource, List.copyOf(read)));
            bindings += read.size();
        }
        log.info("Read {} IAM policies with {} bindings from {}", items.size(), bindings, file);
    }

    private static BindingFact binding(JsonNode node, int index, String resource, String file, RawInventory raw) {
        String role = text(node, "role");
        List<String> members = strings(node, "members");
        String item = "binding " + index + (role == null ? "" : " (" + role + ")") + " of the policy on " + resource;
        if (role == null) {
            raw.skip(file, item, "the binding has no role. Check that the file is an unedited export.");
            return null;
        }
        if (members.isEmpty()) {
            raw.skip(file, item, "the binding has no members, so it grants nothing; nothing to load.");
            return null;
        }
        GcpInventory.Condition condition = null;
        JsonNode conditionNode = node.get("condition");
        if (conditionNode != null && !conditionNode.isNull()) {
            String expression = text(conditionNode, "expression");
            if (expression == null) {
                raw.skip(file, item, "the binding has a condition without an expression, so when it grants its role is"
                        + " unknown. Check that the file is an unedited export.");
                return null;
            }
            condition = new GcpInventory.Condition(text(conditionNode, "title"), text(conditionNode, "description"), expression);
        }
        return new BindingFact(role, List.copyOf(members), condition, index);
    }

    /** Reads ResourceSearchResult items: each resource with its parent and project. */
    static void readResources(Items items, String file, RawInventory raw) {
        int read = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String name = text(item, "name");
            String assetType = text(item, "assetType");
            if (name == null || !name.startsWith("//") || assetType == null) {
                raw.skip(file, items.label(i), "the item has no full resource name (//SERVICE/...) or no assetType."
                        + " Check that the file is unedited `" + GcloudFileKind.RESOURCE_SEARCH.source() + "` output.");
                continue;
            }
            Ancestry ancestry = Ancestry.of(item);
            raw.resources.add(new ResourceFact(name, assetType, text(item, "parentFullResourceName"), ancestry.project(),
                    text(item, "displayName"), text(item, "state"), file, false));
            ancestry.addFacts(name, assetType, file, raw);

            String projectId = text(item.path("additionalAttributes"), "projectId");
            if (GcpNames.PROJECT_TYPE.equals(assetType) && projectId != null && ancestry.project() != null
                    && ancestry.project().startsWith("projects/")) {
                raw.addProjectNumber(ancestry.project().substring("projects/".length()), projectId, file);
            }
            read++;
        }
        log.info("Read {} resources from {}", read, file);
    }
}
