package dev.nhigraph.aws;

import java.util.List;
import java.util.Map;

/**
 * The IAM entities of one or more {@code get-account-authorization-details} exports, as plain records.
 *
 * <p>Policy documents are kept as compact JSON text (URL-decoded when the export held the raw API form).
 * Optional fields that the export leaves out are null, never empty strings.
 */
public final class IamModel {

    private IamModel() {
    }

    /** A managed policy attached to a principal, as the principal's entry names it. */
    public record PolicyAttachment(String arn, String name) {
    }

    /** A policy embedded in one principal; AWS gives it no ARN, so nhigraph names it after its owner. */
    public record InlinePolicy(String ownerArn, String name, String document) {

        public String id() {
            return ownerArn + "#inline/" + name;
        }
    }

    public record InstanceProfile(String arn, String name, String path) {
    }

    public record User(String arn, String name, String id, String path, String account, String createDate,
                       List<String> groupNames, List<PolicyAttachment> attachedPolicies, List<InlinePolicy> inlinePolicies,
                       String permissionsBoundaryArn, Map<String, String> tags) {
    }

    public record Group(String arn, String name, String id, String path, String account, String createDate,
                        List<PolicyAttachment> attachedPolicies, List<InlinePolicy> inlinePolicies) {
    }

    /**
     * An IAM role. {@code trustPolicy} is null when the export's trust policy was not a valid policy; the
     * reason is then listed among the skipped items of the load.
     */
    public record Role(String arn, String name, String id, String path, String account, String createDate,
                       String trustPolicy, List<PolicyAttachment> attachedPolicies, List<InlinePolicy> inlinePolicies,
                       String permissionsBoundaryArn, Map<String, String> tags, List<InstanceProfile> instanceProfiles,
                       String lastUsedDate, String lastUsedRegion) {
    }

    /**
     * A managed policy with the document of its default version; {@code account} is "aws" for AWS-managed ones.
     * {@code versionCount} is the number of versions the export lists, the default one included.
     */
    public record ManagedPolicy(String arn, String name, String id, String path, String account,
                                String defaultVersionId, String document, Integer attachmentCount,
                                String createDate, String updateDate, int versionCount) {

        public boolean awsManaged() {
            return "aws".equals(account);
        }
    }

    /** Something the loader left out, with the file it came from and why. */
    public record SkippedItem(String file, String item, String reason) {
    }
}
