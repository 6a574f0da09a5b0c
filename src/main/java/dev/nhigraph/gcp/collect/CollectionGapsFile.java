package dev.nhigraph.gcp.collect;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The content of collection-gaps.json, the file at the bundle root that lists the calls a collection could not
 * make. Its reader is the AWS collector's; both collectors write this same shape.
 */
record CollectionGapsFile(String collector, String version, String startedAt, String finishedAt,
                          List<Gap> collectionGaps) {

    /** One gap; GCP calls are global, so {@code region} is always left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Gap(String cloud, String scope, String region, String service, String call, String reason, String message) {
    }

    static CollectionGapsFile of(Instant startedAt, Instant finishedAt, List<CollectionGap> gaps) {
        List<Gap> written = gaps.stream()
                .map(gap -> new Gap("gcp", gap.scope(), null, gap.call().service(), gap.call().method(), gap.reason(),
                        gap.message()))
                .toList();
        return new CollectionGapsFile("nhigraph collect gcp", GcpCollector.VERSION, startedAt.truncatedTo(ChronoUnit.SECONDS).toString(),
                finishedAt.truncatedTo(ChronoUnit.SECONDS).toString(), written);
    }
}
