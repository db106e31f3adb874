package dev.questj.system.config;

import java.util.List;

/** What a device does; times in cycles, sizes in bytes, bandwidths in bytes per second. */
public sealed interface DeviceModel {
    String type();

    /** A network card: packets arrive by {@code arrivals} into a receive ring of {@code ringSlots}; transmits at {@code bandwidth}. */
    record Nic(Arrivals arrivals, long bandwidth, int ringSlots) implements DeviceModel {
        public String type() {
            return "nic";
        }
    }

    /** A disk: one request at a time, each taking seek + size / bandwidth. */
    record Disk(long seekCycles, long bandwidth) implements DeviceModel {
        public String type() {
            return "disk";
        }
    }

    /** A sensor sampling every {@code periodCycles}; a read completes with the next sample. */
    record Sensor(long periodCycles, long sampleBytes) implements DeviceModel {
        public String type() {
            return "sensor";
        }
    }

    /** An actuator: a write completes {@code latencyCycles} after it is issued. */
    record Actuator(long latencyCycles) implements DeviceModel {
        public String type() {
            return "actuator";
        }
    }

    /** A serial console: writes go to the run's log at {@code baud} (10 bits a byte). */
    record Serial(long baud) implements DeviceModel {
        public String type() {
            return "serial";
        }
    }

    /**
     * A rogue device: it attempts {@code dmaRatePerSecond} DMA writes a second to random host-physical
     * frames outside its sandbox and {@code msiRatePerSecond} forged message-signalled interrupts a
     * second with random vectors and destination cores.
     */
    record Rogue(double dmaRatePerSecond, double msiRatePerSecond) implements DeviceModel {
        public String type() {
            return "rogue";
        }
    }

    /** How packets arrive at a NIC. Each packet has a size (bytes) and a destination port. */
    sealed interface Arrivals {
        /** No unsolicited packets. */
        record None() implements Arrivals {}

        /** One packet every {@code intervalCycles}. */
        record Periodic(long intervalCycles, long size, int port) implements Arrivals {}

        /** A Poisson process of {@code ratePerSecond} packets a second. */
        record Poisson(double ratePerSecond, long size, int port) implements Arrivals {}

        /** On/off bursts: Poisson at {@code ratePerSecond} during {@code onCycles}, silent during {@code offCycles}. */
        record Bursty(double ratePerSecond, long onCycles, long offCycles, long size, int port) implements Arrivals {}

        /** Packets at given times, from a file of lines {@code time,size[,port]} (time with a unit). */
        record Trace(String file, List<Packet> packets) implements Arrivals {
            public Trace {
                packets = List.copyOf(packets);
            }
        }

        record Packet(long timeCycles, long size, int port) {}
    }
}
