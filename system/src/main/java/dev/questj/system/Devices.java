package dev.questj.system;

import dev.questj.machine.Actuator;
import dev.questj.machine.Device;
import dev.questj.machine.Disk;
import dev.questj.machine.Machine;
import dev.questj.machine.Nic;
import dev.questj.machine.PacketSource;
import dev.questj.machine.Sensor;
import dev.questj.machine.Serial;
import dev.questj.sim.Rng;
import dev.questj.system.config.DeviceConfig;
import dev.questj.system.config.DeviceModel;
import dev.questj.system.config.DeviceModel.Arrivals;
import dev.questj.system.config.SystemConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Builds the machine's devices from their configs and finds the I/O VCPU that serves each. */
final class Devices {
    /** Each device's DMA ring in host-physical memory: 64 KiB, allocated from the top of memory down. */
    static final long DMA_REGION = 64 * 1024;

    private Devices() {}

    static List<Device> build(SystemConfig cfg, Machine machine, Rng rng, Consumer<String> log) {
        List<Device> devices = new ArrayList<>();
        long top = machine.memory().size();
        for (DeviceConfig d : cfg.machine().devices()) {
            Device device = create(d, machine, rng, log);
            top -= DMA_REGION;
            if (top >= 0) {
                device.setDmaRegion(top, DMA_REGION);
            }
            devices.add(device);
        }
        return devices;
    }

    private static Device create(DeviceConfig d, Machine machine, Rng rng, Consumer<String> log) {
        long hz = machine.clock().hz();
        return switch (d.model()) {
            case DeviceModel.Nic n -> new Nic(d.name(), machine, d.irqPcpu(), packets(n.arrivals(), hz),
                    rng.stream("device:" + d.name()), n.bandwidth(), n.ringSlots());
            case DeviceModel.Disk k -> new Disk(d.name(), machine, d.irqPcpu(), k.seekCycles(), k.bandwidth());
            case DeviceModel.Sensor s -> new Sensor(d.name(), machine, d.irqPcpu(), s.periodCycles(), s.sampleBytes());
            case DeviceModel.Actuator a -> new Actuator(d.name(), machine, d.irqPcpu(), a.latencyCycles());
            case DeviceModel.Serial s -> new Serial(d.name(), machine, d.irqPcpu(), s.baud(), log);
            case DeviceModel.Rogue r -> new dev.questj.machine.RogueDevice(d.name(), machine, d.irqPcpu(),
                    rng.stream("device:" + d.name()), r.dmaRatePerSecond(), r.msiRatePerSecond());
        };
    }

    private static PacketSource packets(Arrivals a, long hz) {
        return switch (a) {
            case Arrivals.None n -> PacketSource.NONE;
            case Arrivals.Periodic p -> PacketSource.periodic(p.intervalCycles(), p.size(), p.port());
            case Arrivals.Poisson p -> PacketSource.poisson(hz / p.ratePerSecond(), p.size(), p.port());
            case Arrivals.Bursty b -> PacketSource.bursty(hz / b.ratePerSecond(), b.onCycles(), b.offCycles(), b.size(), b.port());
            case Arrivals.Trace t -> PacketSource.trace(t.packets().stream()
                    .map(p -> new long[] {p.timeCycles(), p.size(), p.port()}).toList());
        };
    }

}
