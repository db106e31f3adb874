package dev.questj.system.config;

import java.util.List;
import java.util.stream.Collectors;

/** A system description that cannot be used, with every problem found (up to a limit). */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::format).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public ConfigException(Location at, String message) {
        this(List.of(new ConfigError(at, message)));
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
