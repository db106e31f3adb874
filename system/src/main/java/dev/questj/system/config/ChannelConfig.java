package dev.questj.system.config;

/**
 * A channel between two sandboxes: shared frames the monitors map into exactly those two EPTs.
 *
 * @param kind          ring (a single-producer single-consumer ring of messages) or four-slot
 *                      (Simpson's asynchronous latest-value channel)
 * @param bidirectional both directions (two rings); else one-way, from {@code from} to {@code to}
 * @param sizeBytes     shared memory per direction, a multiple of 4 KiB (rounded up)
 * @param latencyCycles from a message written to it becoming visible to the receiver's wake-up
 * @param doorbell      the sender rings the receiver with an IPI; else the receiver polls every
 *                      {@code pollCycles}
 * @param isStatic      fixed at boot by the monitors (no hypercall); required to remove monitors
 * @param hostPath      {@code host: unix:PATH}: the linux end is bridged to a Unix domain socket at
 *                      PATH on the host (opened only with --realtime); null: not bridged
 */
public record ChannelConfig(String name, String from, String to, Kind kind, boolean bidirectional, long sizeBytes,
        long latencyCycles, boolean doorbell, long pollCycles, boolean isStatic, Location location, String hostPath) {
    public enum Kind { RING, FOUR_SLOT }

    public ChannelConfig(String name, String from, String to, Kind kind, boolean bidirectional, long sizeBytes,
            long latencyCycles, boolean doorbell, long pollCycles, boolean isStatic, Location location) {
        this(name, from, to, kind, bidirectional, sizeBytes, latencyCycles, doorbell, pollCycles, isStatic, location, null);
    }
}
