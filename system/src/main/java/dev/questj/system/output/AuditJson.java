package dev.questj.system.output;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.questj.system.Audit;
import java.io.IOException;
import java.util.Map;

/** metrics.json's {@code audit} object (docs/OUTPUTS.md). */
final class AuditJson {
    private AuditJson() {}

    static void write(JsonGenerator g, Audit a) throws IOException {
        g.writeObjectFieldStart("audit");
        frames(g, "sharedFrames", a.sharedFrames());
        frames(g, "declaredFrames", a.declaredFrames());
        g.writeArrayFieldStart("severedChannels");
        for (String c : a.severedChannels()) {
            g.writeString(c);
        }
        g.writeEndArray();
        g.writeBooleanField("equalsDeclared", a.equalsDeclared());
        g.writeEndObject();
    }

    private static void frames(JsonGenerator g, String field, Map<String, Long> frames) throws IOException {
        g.writeObjectFieldStart(field);
        for (var e : frames.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }
}
