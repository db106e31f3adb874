package dev.questj.system;

import dev.questj.system.config.ChannelConfig;
import dev.questj.system.config.MilsConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The isolation audit of a finished run: the host frames mapped into more than one sandbox's EPT at
 * the end (measured, from the EPTs), against what the declared channels account for (from the
 * description): every channel not severed by the end declares its frames, a severed one none. The
 * two must be equal: no covert shared memory, and nothing left behind by a severance.
 *
 * @param sharedFrames    frames mapped into two sandboxes, by owner ("channel telemetry"), sorted
 * @param declaredFrames  frames each live (not severed) channel declares, by the same owners, sorted
 * @param severedChannels channels severed before the end, in the description's order (they declare nothing)
 * @param equalsDeclared  whether the two maps are equal
 */
public record Audit(Map<String, Long> sharedFrames, Map<String, Long> declaredFrames, List<String> severedChannels,
        boolean equalsDeclared) {
    /** Bytes per host frame. */
    static final long FRAME = 4096;

    public Audit {
        sharedFrames = Collections.unmodifiableMap(new TreeMap<>(sharedFrames));
        declaredFrames = Collections.unmodifiableMap(new TreeMap<>(declaredFrames));
        severedChannels = List.copyOf(severedChannels);
    }

    /** The audit of {@code r}: a severance counts when it came before the end of the run. */
    public static Audit of(RunResult r) {
        Map<String, Long> declared = new TreeMap<>();
        List<String> severed = new ArrayList<>();
        MilsConfig mils = r.config().questV().mils();
        for (ChannelConfig c : r.config().questV().channels()) {
            MilsConfig.SeveranceConfig s = mils.severanceOf(c.name());
            if (s != null && s.atCycles() < r.simulatedCycles()) {
                severed.add(c.name());
            } else {
                declared.put(owner(c.name()), frames(c));
            }
        }
        Map<String, Long> shared = new TreeMap<>(r.isolation().sharedFrames());
        return new Audit(shared, declared, severed, shared.equals(declared));
    }

    /** How the audit names a channel's frames: "channel telemetry". */
    public static String owner(String channel) {
        return "channel " + channel;
    }

    /** The host frames a channel occupies: its size (whole pages) per direction. */
    public static long frames(ChannelConfig c) {
        return Math.ceilDiv(c.sizeBytes(), FRAME) * (c.bidirectional() ? 2 : 1);
    }
}
