package dev.questj.system.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which I/O VCPU serves each device's bottom half, as a read configuration says: the I/O VCPU that
 * names the device in its {@code devices}, else the one whose {@code classes} hold the device's type
 * (explicit names take precedence over classes). The reader guarantees at most one of each. A thread
 * with its own {@code ioVcpu} is served by that one instead, whatever the device. In Quest-V mode each
 * sandbox's I/O VCPUs serve only that sandbox's devices; a rogue device is never served.
 */
public final class IoBindings {
    private IoBindings() {}

    /** Device name to the name of the I/O VCPU serving it, in device order; devices no I/O VCPU serves are left out. */
    public static Map<String, String> byDevice(MachineConfig machine, List<VcpuConfig> vcpus) {
        return byDevice(machine.devices(), vcpus);
    }

    /**
     * A sandbox's devices to the name of the sandbox's I/O VCPU serving each (classes match only the
     * sandbox's own devices), in machine device order; devices no I/O VCPU serves are left out.
     */
    public static Map<String, String> byDevice(MachineConfig machine, SandboxConfig sandbox) {
        return byDevice(machine.devices().stream().filter(d -> sandbox.devices().contains(d.name())).toList(),
                sandbox.vcpus());
    }

    /** SMP mode: the top-level VCPUs serving the machine's devices (empty in Quest-V mode: see the sandboxes). */
    public static Map<String, String> byDevice(SystemConfig config) {
        return byDevice(config.machine(), config.vcpus());
    }

    private static Map<String, String> byDevice(List<DeviceConfig> devices, List<VcpuConfig> vcpus) {
        Map<String, String> served = new LinkedHashMap<>();
        for (DeviceConfig d : devices) {
            String byName = null;
            String byClass = null;
            for (VcpuConfig v : vcpus) {
                if (!v.isIo()) {
                    continue;
                }
                if (byName == null && v.devices().contains(d.name())) {
                    byName = v.name();
                }
                if (byClass == null && v.deviceClasses().contains(d.type())) {
                    byClass = v.name();
                }
            }
            String io = byName != null ? byName : byClass;
            if (io != null) {
                served.put(d.name(), io);
            }
        }
        return Collections.unmodifiableMap(served);
    }
}
