package dev.questj.system.config;

/** One problem found in a system description. */
public record ConfigError(Location location, String message) {
    /** {@code file:line:column: path: message}. */
    public String format() {
        return location.prefix() + message;
    }
}
