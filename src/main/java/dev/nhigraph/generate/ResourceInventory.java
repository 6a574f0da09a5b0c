package dev.nhigraph.generate;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The resources of one account that identity and resource policies name: buckets, tables, queues, topics,
 * functions, keys, secrets, log groups, repositories and parameters. Only some of them get a resource policy.
 */
final class ResourceInventory {

    /** A kind of resource with its service prefix and its share of an account's resources, in percent. */
    enum Kind {
        BUCKET("s3", 22), TABLE("dynamodb", 12), QUEUE("sqs", 12), TOPIC("sns", 8), FUNCTION("lambda", 16),
        KEY("kms", 6), SECRET("secretsmanager", 8), LOG_GROUP("logs", 8), REPOSITORY("ecr", 4), PARAMETER("ssm", 4);

        final String service;
        final int share;

        Kind(String service, int share) {
            this.service = service;
            this.share = share;
        }
    }

    /** One resource; {@code region} is empty for S3, whose ARNs have none. */
    record Resource(Kind kind, String name, String region, String account, String arn) {

        /** Returns what a statement's Resource names to cover this resource: the objects of a bucket, a table's indexes. */
        List<String> statementResources() {
            return switch (kind) {
                case BUCKET -> List.of(arn, arn + "/*");
                case TABLE -> List.of(arn, arn + "/index/*");
                case LOG_GROUP -> List.of(arn + ":*");
                default -> List.of(arn);
            };
        }
    }

    private final String account;
    private final Map<Kind, List<Resource>> byKind = new EnumMap<>(Kind.class);
    private final Map<Kind, Set<String>> names = new EnumMap<>(Kind.class);
    /** ARNs of the resources kept after {@link #release} that an identity or resource policy names. */
    private final Set<String> named = new HashSet<>();
    /** How many resources of each kind {@link #release} keeps, or null before {@link #markRetained}. */
    private Map<Kind, Integer> retained;
    private int namedReleased;
    private boolean released;

    ResourceInventory(String account) {
        this.account = account;
        for (Kind kind : Kind.values()) {
            byKind.put(kind, new ArrayList<>());
            names.put(kind, new HashSet<>());
        }
    }

    /** Adds {@code count} resources, split over the kinds by their shares. */
    void populate(int count, SeededRandom random, AwsIdentifiers ids) {
        Kind[] kinds = Kind.values();
        double[] weights = new double[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            weights[i] = kinds[i].share;
        }
        int[] counts = Tier.apportion(count, weights);
        for (int i = 0; i < kinds.length; i++) {
            for (int n = 0; n < counts[i]; n++) {
                add(kinds[i], randomName(kinds[i], random), random.chance(0.8) ? "us-east-1" : "eu-west-1", ids);
            }
        }
    }

    List<Resource> of(Kind kind) {
        return byKind.get(kind);
    }

    int size() {
        return byKind.values().stream().mapToInt(List::size).sum();
    }

    /** Records that a policy names {@code resource}, for the count of resources that policies name. */
    void markNamed(Resource resource) {
        named.add(resource.arn());
    }

    /** Returns how many resources of this inventory a policy names, those dropped by {@link #release} included. */
    int namedCount() {
        return namedReleased + named.size();
    }

    /** Keeps the resources added so far through {@link #release}, because other accounts' policies may name them. */
    void markRetained() {
        retained = new EnumMap<>(Kind.class);
        byKind.forEach((kind, resources) -> retained.put(kind, resources.size()));
    }

    /** Drops every resource added after {@link #markRetained} (all of them without it), keeping the named count. */
    void release() {
        Set<String> retainedArns = new HashSet<>();
        for (Map.Entry<Kind, List<Resource>> entry : byKind.entrySet()) {
            List<Resource> resources = entry.getValue();
            int keep = retained == null ? 0 : retained.get(entry.getKey());
            resources.subList(keep, resources.size()).clear();
            resources.forEach(resource -> retainedArns.add(resource.arn()));
        }
        int before = named.size();
        named.retainAll(retainedArns);
        namedReleased += before - named.size();
        names.values().forEach(Set::clear);
        released = true;
    }

    /** Adds a resource named {@code name}, or the first free variant of it, and returns it. */
    Resource add(Kind kind, String name, String region, AwsIdentifiers ids) {
        if (released) {
            throw new IllegalStateException("the inventory of account " + account + " is released; add resources before");
        }
        String free = SyntheticAccount.freeName(name, names.get(kind));
        names.get(kind).add(free);
        String regional = kind == Kind.BUCKET ? "" : region;
        String prefix = "arn:aws:" + kind.service + ":" + regional + ":" + account + ":";
        String arn = switch (kind) {
            case BUCKET -> "arn:aws:s3:::" + free;
            case TABLE -> prefix + "table/" + free;
            case QUEUE, TOPIC -> prefix + free;
            case FUNCTION -> prefix + "function:" + free;
            case KEY -> prefix + "key/" + free;
            case SECRET -> prefix + "secret:" + free + "-" + ids.secretSuffix();
            case LOG_GROUP -> prefix + "log-group:" + free;
            case REPOSITORY -> prefix + "repository/" + free;
            case PARAMETER -> prefix + "parameter/" + free;
        };
        Resource resource = new Resource(kind, free, regional, account, arn);
        byKind.get(kind).add(resource);
        return resource;
    }

    private String randomName(Kind kind, SeededRandom random) {
        String team = random.pick(Vocabulary.TEAMS);
        String component = random.pick(Vocabulary.COMPONENTS);
        return switch (kind) {
            // Bucket names are global, so they carry the account id as many organisations' conventions do.
            case BUCKET -> team + "-" + random.pick(Vocabulary.PURPOSES) + "-" + random.pick(Vocabulary.ENVIRONMENTS)
                    + "-" + account;
            case TABLE -> team + "-" + component;
            case QUEUE -> team + "-" + component + (random.chance(0.2) ? "-dlq" : "-events");
            case TOPIC -> team + "-" + component + "-notifications";
            case FUNCTION -> team + "-" + component + "-" + random.pick(Vocabulary.PURPOSES);
            case KEY -> random.hex(8) + "-" + random.hex(4) + "-" + random.hex(4) + "-" + random.hex(4) + "-" + random.hex(12);
            case SECRET -> team + "/" + component + "/" + (random.chance(0.5) ? "db-password" : "api-key");
            case LOG_GROUP -> random.chance(0.6) ? "/aws/lambda/" + team + "-" + component : "/ecs/" + team + "-" + component;
            case REPOSITORY -> team + "/" + component;
            case PARAMETER -> team + "/" + component + "/" + random.pick(Vocabulary.PURPOSES);
        };
    }
}
