package dev.questj.system.config;

/**
 * The per-sandbox monitors.
 *
 * @param removeAfterBoot {@code monitors: {afterBoot: remove}}: once every sandbox has booted the
 *                        monitors are gone and no VM exit can be handled (allowed only when every
 *                        channel is static); a sandbox that then faults is halted
 */
public record MonitorsConfig(boolean removeAfterBoot) {}
