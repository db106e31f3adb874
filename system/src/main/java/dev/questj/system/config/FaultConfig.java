package dev.questj.system.config;

/**
 * A fault to inject: at {@code atCycles}, into sandbox {@code sandbox}, of kind {@code kind}
 * (kernel-panic, kernel-wild-write, runaway-thread, hung-driver, corrupt-message, unresponsive);
 * {@code target} names the thread, device or channel the kind acts on (null for the others).
 */
public record FaultConfig(long atCycles, String sandbox, String kind, String target, Location location) {}
