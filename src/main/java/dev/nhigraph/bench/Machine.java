package dev.nhigraph.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine and JVM a benchmark ran on, so that a result can be compared with later runs.
 *
 * @param cores             processors available to the JVM
 * @param memoryBytes       physical memory of the machine
 * @param cpu               the CPU model from /proc/cpuinfo, or null where it is not available
 * @param loadAverageStart  the system load average over one minute when the benchmark began; -1 where the OS has none
 */
public record Machine(int cores, long memoryBytes, String cpu, String os, String javaVersion, String javaVm,
                      long maxHeapBytes, List<String> jvmArguments, double loadAverageStart) {

    private static final Logger log = LoggerFactory.getLogger(Machine.class);

    /** Describes the machine this JVM runs on. */
    static Machine describe() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        long memory = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : -1;
        return new Machine(Runtime.getRuntime().availableProcessors(), memory, cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.runtime.version", System.getProperty("java.version")),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory(), ManagementFactory.getRuntimeMXBean().getInputArguments(),
                os.getSystemLoadAverage());
    }

    /** Returns the system load average over one minute now, or -1 where the OS has none. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            log.warn("Failed to read the CPU model from {}: {}", cpuinfo, e.getMessage());
        }
        return null;
    }
}
