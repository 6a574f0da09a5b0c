package dev.nhigraph.generate;

import java.util.List;

/** Words that synthetic names are built from, so that names read like those of a real organisation. */
final class Vocabulary {

    static final List<String> TEAMS = List.of("payments", "search", "checkout", "identity", "data", "platform", "ml",
            "billing", "analytics", "mobile", "web", "infra", "risk", "observability", "messaging", "catalog", "orders",
            "shipping", "inventory", "support", "growth", "ledger", "pricing", "media");

    static final List<String> COMPONENTS = List.of("api", "worker", "ingest", "etl", "scheduler", "gateway", "consumer",
            "producer", "indexer", "exporter", "backup", "reporting", "notifier", "sync", "cache", "frontend", "batch",
            "stream", "auth", "audit", "router", "loader", "archiver", "webhook", "crawler", "resizer", "reconciler");

    static final List<String> PURPOSES = List.of("events", "artifacts", "logs", "uploads", "exports", "state", "raw",
            "curated", "backups", "assets", "reports", "config");

    static final List<String> ENVIRONMENTS = List.of("prod", "staging", "dev", "qa", "shared");

    /** Given and family names for the few human users; IAM users of people are rare next to service users. */
    static final List<String> GIVEN_NAMES = List.of("alice", "bruno", "chen", "dana", "emeka", "farah", "goran", "hana",
            "ivan", "julia", "kofi", "lena", "mateo", "nora", "omar", "priya", "quinn", "rosa", "sven", "tara");

    static final List<String> FAMILY_NAMES = List.of("ahmed", "baker", "costa", "dubois", "eriksen", "fischer",
            "garcia", "hughes", "ito", "jansen", "kowalski", "lopez", "mueller", "novak", "okafor", "petrov");

    /** GitHub repositories that OIDC trust policies name, under the organisation {@link #GITHUB_ORGANIZATION}. */
    static final List<String> REPOSITORIES = List.of("infrastructure", "payments-service", "search-api", "web-app",
            "data-pipelines", "mobile-backend", "terraform-modules", "platform-tools", "ml-training", "checkout");

    static final String GITHUB_ORGANIZATION = "example-org";

    /** Third parties whose own AWS accounts are trusted by integration roles. */
    static final List<String> VENDORS = List.of("monitoring-vendor", "cost-vendor", "backup-vendor", "ci-vendor",
            "security-scanner");

    /** IAM Identity Center permission sets, as the names of AWSReservedSSO_ roles show them. */
    static final List<String> PERMISSION_SETS = List.of("AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess",
            "DeveloperAccess", "BillingAccess", "SecurityAudit", "DataEngineer", "SupportUser");

    static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");

    private Vocabulary() {
    }
}
