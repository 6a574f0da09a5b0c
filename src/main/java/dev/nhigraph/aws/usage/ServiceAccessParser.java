package dev.nhigraph.aws.usage;

import dev.nhigraph.aws.bundle.CliJsonFields;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nhigraph.aws.AuthorizationDetails;
import dev.nhigraph.aws.IamModel.SkippedItem;
import dev.nhigraph.aws.usage.ServiceAccess.ServiceUse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code aws iam get-service-last-accessed-details --job-id ID} output: the services a principal's policies
 * allow and when it last used each one.
 *
 * <p>The output does not name its principal, so the layout does:
 * {@code iam/service-last-accessed/ACCOUNT/KIND/NAME.json}, with KIND {@code user}, {@code group} or {@code role}
 * and NAME the principal's name, which the authorization details of the same bundle turn into its ARN.
 */
public final class ServiceAccessParser {

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final String LAYOUT = "iam/service-last-accessed/ACCOUNT/user|group|role/NAME.json";

    /** A report read before the authorization details are known; its principal is resolved in {@link #build}. */
    private record Pending(String account, String kind, String name, String reportAt, List<ServiceUse> services,
                           Path file) {
    }

    private final List<Pending> pending = new ArrayList<>();
    private final List<SkippedItem> skipped = new ArrayList<>();

    /** Tells whether {@code root} is get-service-last-accessed-details output. */
    public static boolean recognise(JsonNode root) {
        return root != null && root.isObject() && root.path("ServicesLastAccessed").isArray() && root.has("JobStatus");
    }

    /** Reads one file; {@code file} is used for messages and for its layout. */
    public void add(JsonNode root, Path file) {
        String status = root.path("JobStatus").asText();
        if (!status.equals("COMPLETED")) {
            skipped.add(new SkippedItem(file.toString(), "whole file", "the report's JobStatus is " + status
                    + ", not COMPLETED; run get-service-last-accessed-details again once the job has finished"));
            return;
        }
        Path kindFolder = file.getParent();
        Path accountFolder = kindFolder == null ? null : kindFolder.getParent();
        String kind = kindFolder == null ? "" : kindFolder.getFileName().toString();
        String account = accountFolder == null ? "" : accountFolder.getFileName().toString();
        if (!ACCOUNT.matcher(account).matches() || !List.of("user", "group", "role").contains(kind)) {
            skipped.add(new SkippedItem(file.toString(), "whole file", "the output does not name its principal, so it"
                    + " must be saved as " + LAYOUT));
            return;
        }
        List<ServiceUse> services = new ArrayList<>();
        for (JsonNode service : root.path("ServicesLastAccessed")) {
            String namespace = service.path("ServiceNamespace").asText("");
            if (namespace.isEmpty()) {
                continue;
            }
            services.add(new ServiceUse(namespace, CliJsonFields.text(service, "LastAuthenticated")));
        }
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        pending.add(new Pending(account, kind, name, CliJsonFields.text(root, "JobCompletionDate"), List.copyOf(services),
                file));
    }

    /** Returns the reports whose principal the authorization details name; the others are skipped with the reason. */
    public List<ServiceAccess> build(AuthorizationDetails iam) {
        Map<String, String> arns = new HashMap<>();
        if (iam != null) {
            iam.users().forEach(u -> arns.put(key(u.account(), "user", u.name()), u.arn()));
            iam.groups().forEach(g -> arns.put(key(g.account(), "group", g.name()), g.arn()));
            iam.roles().forEach(r -> arns.put(key(r.account(), "role", r.name()), r.arn()));
        }
        List<ServiceAccess> reports = new ArrayList<>();
        for (Pending report : pending) {
            String arn = arns.get(key(report.account(), report.kind(), report.name()));
            if (arn == null) {
                skipped.add(new SkippedItem(report.file().toString(), report.kind() + " " + report.name(), "the bundle's"
                        + " authorization details have no " + report.kind() + " of that name in account "
                        + report.account() + "; load the account's get-account-authorization-details output with it"));
                continue;
            }
            reports.add(new ServiceAccess(arn, report.reportAt(), report.services()));
        }
        return reports;
    }

    public List<SkippedItem> skipped() {
        return skipped;
    }

    private static String key(String account, String kind, String name) {
        return account + "/" + kind + "/" + name;
    }
}
