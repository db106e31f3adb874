package dev.questj.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Runs the CLI, then prints the peak heap the JVM used ({@code peakHeapBytes=N}, the sum of the heap
 * pools' peaks) and exits with the CLI's status. Started in a separate JVM with a small -Xmx by
 * {@link MemoryTest}.
 */
public final class PeakHeap {
    private PeakHeap() {}

    public static void main(String[] args) {
        int status = Main.execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("peakHeapBytes=" + peak);
        System.out.flush();
        System.exit(status);
    }
}
