package dev.questj.system.config;

/**
 * A sandbox's watchdog: each of its PCPUs posts a heartbeat every {@code heartbeatCycles}; its
 * monitor looks every {@code timeoutCycles} and declares the sandbox hung when a PCPU posted none.
 */
public record WatchdogConfig(long heartbeatCycles, long timeoutCycles, Location location) {}
