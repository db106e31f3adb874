package dev.questj.system.config;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a list of VCPUs and threads is read: the whole machine (SMP mode) or one sandbox, with the
 * cores and devices its VCPUs and threads may name.
 *
 * @param sandbox the sandbox's name; null in SMP mode (and for a sandbox whose name could not be read)
 * @param label   how messages name the sandbox ("sandbox control", or its path when it has no name);
 *                null in SMP mode
 * @param path    the path the lists sit under: "" at the top level, "sandboxes[0]" in a sandbox
 * @param cores   the PCPUs its VCPUs may be bound to; null: any of the machine's (SMP mode, or unknown)
 * @param devices the devices its VCPUs and threads may use; null: any of the machine's (SMP mode, or unknown)
 */
record Scope(String sandbox, String label, String path, List<Integer> cores, Set<String> devices) {
    static final Scope SMP = new Scope(null, null, "", null, null);

    boolean isSandbox() {
        return label != null;
    }

    String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    boolean hasCore(int core) {
        return cores == null || cores.contains(core);
    }

    boolean owns(String device) {
        return devices == null || devices.contains(device);
    }

    /** "[0, 1]". */
    static String coreList(List<Integer> cores) {
        return "[" + cores.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "]";
    }

    /** "core 3 is not one of sandbox control's cores [0, 1]". */
    String notOwnCore(int core) {
        return "core " + core + " is not one of " + label + "'s cores " + coreList(cores);
    }

    /** "device eth0 is not one of sandbox control's devices [imu]". */
    String notOwnDevice(String device) {
        return devices.isEmpty() ? "device " + device + " is not given to " + label + ", which has no devices"
                : "device " + device + " is not one of " + label + "'s devices [" + String.join(", ", devices) + "]";
    }
}
