package dev.questj.system.config;

/** A thread: its name, the VCPU it runs on, and what it does. */
public record ThreadConfig(String name, String vcpu, TaskModel model, Location location) {}
