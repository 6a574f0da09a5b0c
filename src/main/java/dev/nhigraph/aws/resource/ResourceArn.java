package dev.nhigraph.aws.resource;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The six fields of an ARN: {@code arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE}. Region and account are
 * empty strings where the ARN leaves them empty, as S3 bucket ARNs do.
 */
record ResourceArn(String partition, String service, String region, String account, String resource) {

    private static final Pattern ARN = Pattern.compile("^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\\d{12}|):(.+)$");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    /** Returns the parts of {@code arn}, or null when it is not an ARN. */
    static ResourceArn parse(String arn) {
        if (arn == null) {
            return null;
        }
        Matcher matcher = ARN.matcher(arn);
        if (!matcher.matches()) {
            return null;
        }
        return new ResourceArn(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4), matcher.group(5));
    }

    static boolean isRegion(String value) {
        return value != null && REGION.matcher(value).matches();
    }

    /**
     * Returns the partition of a region: aws-cn for cn-*, aws-us-gov for us-gov-*, else aws.
     *
     * <p>NOTE: the isolated partitions (aws-iso and others) are not recognised, so an ARN built from the
     * layout for one of their regions is wrong; put such files where the content or statements name the resource.
     */
    static String partitionOf(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
    }
}
