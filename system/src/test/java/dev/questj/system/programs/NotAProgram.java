package dev.questj.system.programs;

/** A class on the classpath that is not a guest program. */
public final class NotAProgram {}
