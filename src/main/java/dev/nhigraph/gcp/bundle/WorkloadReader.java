package dev.nhigraph.gcp.bundle;

import static dev.nhigraph.gcp.bundle.JsonValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.gcp.bundle.RawInventory.ResourceFact;
import dev.nhigraph.gcp.bundle.RawInventory.RunsAsFact;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the workloads of {@code gcloud compute instances list}, {@code gcloud functions list} and
 * {@code gcloud run services list}: each workload's full resource name, project and the service accounts it runs as.
 *
 * <p>Only the name, location and account fields are read. Instance metadata (startup scripts, SSH keys) and the
 * environment variables of functions and services often contain secrets, so they are never read or stored.
 */
final class WorkloadReader {

    static final String INSTANCE_TYPE = "compute.googleapis.com/Instance";
    /** Cloud Asset Inventory's type for a 1st gen function, whose API is Cloud Functions v1. */
    static final String FUNCTION_V1_TYPE = "cloudfunctions.googleapis.com/CloudFunction";
    /** Cloud Asset Inventory's type for a function of the Cloud Functions v2 API. */
    static final String FUNCTION_V2_TYPE = "cloudfunctions.googleapis.com/Function";
    static final String RUN_SERVICE_TYPE = "run.googleapis.com/Service";

    /** The path of an instance's selfLink or zone URL, such as {@code .../compute/v1/projects/P/zones/Z/instances/N}. */
    static final Pattern INSTANCE_LINK = Pattern.compile(".*/projects/([^/]+)/zones/([^/]+)/instances/([^/]+)");
    private static final Pattern ZONE_LINK = Pattern.compile(".*/projects/([^/]+)/zones/([^/]+)");
    static final Pattern FUNCTION_NAME = Pattern.compile("projects/([^/]+)/locations/([^/]+)/functions/([^/]+)");
    static final Pattern RUN_SERVICE_NAME = Pattern.compile("projects/([^/]+)/locations/([^/]+)/services/([^/]+)");
    /** The label that Cloud Run's Knative-style resource puts its region in. */
    private static final String LOCATION_LABEL = "cloud.googleapis.com/location";
    private static final Logger log = LoggerFactory.getLogger(WorkloadReader.class);

    private WorkloadReader() {
    }

    /** Reads Compute Engine instances; an instance without {@code serviceAccounts} runs as no account. */
    static void readInstances(Items items, String file, RawInventory raw) {
        int read = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String label = items.label(i);
            String[] location = instanceLocation(item);
            if (location == null) {
                raw.skip(file, label, "the instance has no selfLink, and its name and zone do not name its project and"
                        + " zone. Check that the file is unedited `" + GcloudFileKind.INSTANCE_LIST.source() + "` output.");
                continue;
            }
            String project = location[0];
            String name = "//compute.googleapis.com/projects/" + project + "/zones/" + location[1] + "/instances/"
                    + location[2];
            addWorkload(name, INSTANCE_TYPE, project, file, raw);

            JsonNode accounts = item.get("serviceAccounts");
            if (accounts == null || accounts.isNull()) {
                raw.runsAs.add(new RunsAsFact(name, List.of(), file));
                read++;
                continue;
            }
            List<String> emails = instanceEmails(accounts, name, file, raw);
            if (emails != null) {
                raw.runsAs.add(new RunsAsFact(name, emails, file));
            }
            read++;
        }
        log.info("Read {} Compute Engine instances from {}", read, file);
    }

    /** Returns the project, zone and name of an instance, or null when the item does not give them. */
    private static String[] instanceLocation(JsonNode item) {
        String selfLink = text(item, "selfLink");
        Matcher link = selfLink == null ? null : INSTANCE_LINK.matcher(selfLink);
        if (link != null && link.matches()) {
            return new String[] {link.group(1), link.group(2), link.group(3)};
        }
        String name = text(item, "name");
        String zone = text(item, "zone");
        Matcher zoneLink = zone == null ? null : ZONE_LINK.matcher(zone);
        if (name == null || zoneLink == null || !zoneLink.matches()) {
            return null;
        }
        return new String[] {zoneLink.group(1), zoneLink.group(2), name};
    }

    /**
     * Returns the emails of an instance's {@code serviceAccounts} list, or null when the list is malformed, so that
     * the instance keeps an unknown account rather than a wrong one.
     */
    private static List<String> instanceEmails(JsonNode accounts, String instance, String file, RawInventory raw) {
        if (!accounts.isArray()) {
            raw.skip(file, "serviceAccounts of " + instance, "the field is not a list, so the account the instance runs"
                    + " as is unknown. Check that the file is unedited `" + GcloudFileKind.INSTANCE_LIST.source()
                    + "` output.");
            return null;
        }
        List<String> emails = new ArrayList<>();
        for (int index = 0; index < accounts.size(); index++) {
            String email = text(accounts.get(index), "email");
            if (email == null) {
                raw.skip(file, "serviceAccounts[" + index + "] of " + instance, "the entry has no email, so the account"
                        + " the instance runs as is unknown. Check that the file is unedited `"
                        + GcloudFileKind.INSTANCE_LIST.source() + "` output.");
                return null;
            }
            emails.add(email);
        }
        return List.copyOf(emails);
    }

    /**
     * Reads Cloud Functions of both API versions: a 1st gen function's account is {@code serviceAccountEmail}, a
     * 2nd gen function's is {@code serviceConfig.serviceAccountEmail}.
     */
    static void readFunctions(Items items, String file, RawInventory raw) {
        int read = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String relative = text(item, "name");
            Matcher matcher = relative == null ? null : FUNCTION_NAME.matcher(relative);
            if (matcher == null || !matcher.matches()) {
                raw.skip(file, items.label(i), "the function has no name of the form"
                        + " projects/PROJECT/locations/LOCATION/functions/NAME. Check that the file is unedited `"
                        + GcloudFileKind.FUNCTION_LIST.source() + "` output.");
                continue;
            }
            String name = "//cloudfunctions.googleapis.com/" + relative;
            boolean functionsV2 = item.path("serviceConfig").isObject() || item.path("buildConfig").isObject();
            boolean firstGeneration = "GEN_1".equals(text(item, "environment")) || !functionsV2;
            addWorkload(name, firstGeneration ? FUNCTION_V1_TYPE : FUNCTION_V2_TYPE, matcher.group(1), file, raw);

            String email = functionsV2 ? text(item.path("serviceConfig"), "serviceAccountEmail") : null;
            if (email == null) {
                email = text(item, "serviceAccountEmail");
            }
            // NOTE: a function without the field keeps an unknown account. The API fills in the default account on
            // read, so the field should be missing only from edited output.
            if (email != null) {
                raw.runsAs.add(new RunsAsFact(name, List.of(email), file));
            }
            read++;
        }
        log.info("Read {} Cloud Functions from {}", read, file);
    }

    /**
     * Reads Cloud Run services in the Knative form that gcloud prints ({@code metadata.namespace} is the project,
     * the location is a label, the account {@code spec.template.spec.serviceAccountName}), or in the form of the
     * Cloud Run v2 API ({@code name} and {@code template.serviceAccount}).
     */
    static void readRunServices(Items items, String file, RawInventory raw) {
        int read = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String relative = text(item, "name");
            Matcher v2 = relative == null ? null : RUN_SERVICE_NAME.matcher(relative);
            String project;
            String name;
            String email;
            if (v2 != null && v2.matches()) {
                project = v2.group(1);
                name = "//run.googleapis.com/" + relative;
                email = text(item.path("template"), "serviceAccount");
            } else {
                JsonNode metadata = item.path("metadata");
                project = text(metadata, "namespace");
                String location = text(metadata.path("labels"), LOCATION_LABEL);
                String service = text(metadata, "name");
                if (project == null || location == null || service == null) {
                    raw.skip(file, items.label(i) + (service == null ? "" : " (" + service + ")"), "the service has no"
                            + " metadata.name, metadata.namespace or " + LOCATION_LABEL + " label, so its full resource"
                            + " name is unknown. Check that the file is unedited `" + GcloudFileKind.RUN_SERVICE_LIST.source()
                            + "` output.");
                    continue;
                }
                name = "//run.googleapis.com/projects/" + project + "/locations/" + location + "/services/" + service;
                email = text(item.path("spec").path("template").path("spec"), "serviceAccountName");
            }
            addWorkload(name, RUN_SERVICE_TYPE, project, file, raw);
            // NOTE: a service without the field keeps an unknown account, although Cloud Run then uses the Compute
            // Engine default account, because gcloud's output normally names the account outright.
            if (email != null) {
                raw.runsAs.add(new RunsAsFact(name, List.of(email), file));
            }
            read++;
        }
        log.info("Read {} Cloud Run services from {}", read, file);
    }

    /**
     * Adds the workload as a resource of its project. The fact is marked inferred, so that the type and parent from
     * {@code search-all-resources} win where both files name the workload.
     */
    private static void addWorkload(String name, String assetType, String project, String file, RawInventory raw) {
        String projectReference = Ancestry.isNumber(project) ? "projects/" + project : project;
        raw.resources.add(new ResourceFact(name, assetType, "projects/" + project, projectReference, null, null, file, true));
    }
}
