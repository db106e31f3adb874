package dev.questj.system.config;

/**
 * Where a value came from: file, 1-based line and column, and the field's path
 * ({@code vcpus[1].budget}). Every config record keeps the location of its mapping so that checks
 * made after parsing (admission, placement) can still point at the line.
 */
public record Location(String file, int line, int column, String path) {
    public static final Location NONE = new Location("<built-in>", 0, 0, "");

    /** {@code file:line:column: path: } as the prefix of a message. */
    public String prefix() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.toString();
    }

    public Location child(String field) {
        return new Location(file, line, column, path.isEmpty() ? field : path + "." + field);
    }
}
