package dev.nhigraph.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peak memory of this JVM while a benchmark runs, the embedded Neo4j included, since it runs in the same process.
 *
 * <p>Peak heap is the largest used heap seen in two ways: the heap in use when each garbage collection began (from
 * the collectors' notifications, which catch the top of every cycle), and a sample every
 * {@value #SAMPLE_MILLIS} ms. The sum of each heap pool's own peak is kept as an upper bound, since the pools peak
 * at different moments. Peak resident memory is VmHWM from /proc/self/status (Linux), which covers the heap, the
 * off-heap page cache of Neo4j and everything else the process maps, over the whole life of the process.
 */
final class MemoryWatch implements AutoCloseable {

    static final long SAMPLE_MILLIS = 50;

    private static final Logger log = LoggerFactory.getLogger(MemoryWatch.class);

    /** The peaks, in bytes; {@code peakResidentBytes} is null where /proc/self/status is not available. */
    record Peaks(long peakHeapBytes, long heapPoolPeakSumBytes, Long peakResidentBytes, String method) {
    }

    private final AtomicLong peakUsed = new AtomicLong();
    private final Thread sampler;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onCollection;

    private MemoryWatch() {
        sampler = new Thread(this::sample, "nhigraph-benchmark-memory");
        sampler.setDaemon(true);
    }

    /** Starts watching; the heap pools' peaks are reset, so earlier work in this JVM does not count. */
    static MemoryWatch start() {
        MemoryWatch watch = new MemoryWatch();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(watch.listener, null, null);
                watch.emitters.add(emitter);
            }
        }
        watch.sampler.start();
        return watch;
    }

    /** Returns the peaks so far. */
    Peaks peaks() {
        observe(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        long poolPeakSum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                poolPeakSum += pool.getPeakUsage().getUsed();
            }
        }
        return new Peaks(peakUsed.get(), poolPeakSum, residentHighWaterMark(),
                "heap: max of used heap at the start of each GC and sampled every " + SAMPLE_MILLIS
                        + " ms; resident: VmHWM of /proc/self/status");
    }

    @Override
    public void close() {
        sampler.interrupt();
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                log.debug("GC listener already removed: {}", e.getMessage());
            }
        }
    }

    private void sample() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                observe(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                Thread.sleep(SAMPLE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onCollection(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
            if (isHeapPool(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        observe(used);
    }

    private static boolean isHeapPool(String name) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals(name)) {
                return pool.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }

    private void observe(long used) {
        peakUsed.accumulateAndGet(used, Math::max);
    }

    /** Returns VmHWM in bytes, or null when /proc/self/status is missing or has no such line. */
    static Long residentHighWaterMark() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                // The line reads "VmHWM:     123456 kB", and proc(5) documents the unit as kB.
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.warn("Failed to read VmHWM from {}: {}", status, e.getMessage());
        }
        return null;
    }
}
