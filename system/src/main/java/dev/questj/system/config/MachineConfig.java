package dev.questj.system.config;

/**
 * The virtual machine.
 *
 * @param cores       physical cores (1..1024)
 * @param smt         hardware threads per core (1 or 2); each hardware thread is a PCPU
 * @param frequencyHz cycles per second of every core
 */
public record MachineConfig(int cores, int smt, long frequencyHz, Location location) {
    public int pcpus() {
        return cores * smt;
    }
}
