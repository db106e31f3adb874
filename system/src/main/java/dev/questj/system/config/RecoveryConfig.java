package dev.questj.system.config;

/**
 * What a sandbox's monitor does when the sandbox fails: restart it (at most {@code maxRestarts}
 * times, -1 for always) or leave it down.
 */
public record RecoveryConfig(boolean restart, int maxRestarts) {
    public static final RecoveryConfig RESTART = new RecoveryConfig(true, -1);
    public static final RecoveryConfig STAY_DOWN = new RecoveryConfig(false, 0);

    /** As the config writes it: restart, stay-down, or {policy: restart, maxRestarts: N}. */
    public String describe() {
        if (!restart) {
            return "stay-down";
        }
        return maxRestarts < 0 ? "restart" : "{policy: restart, maxRestarts: " + maxRestarts + "}";
    }
}
