package io.dbrescue.elevate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dbrescue.plan.Plan;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint of the plan the user confirmed (SHA-256 of its JSON with keys in a fixed order). The user's side
 * passes it on the helper's command line; the helper computes it again from the journal and refuses a journal whose
 * plan differs — so a journal changed after the confirmation (between two root steps, when polkit's "keep" spares
 * the user a second password) runs nothing.
 */
public final class PlanDigest {
    /**
     * Paths as their text: Jackson writes a Path as a URI, and {@code Path.toUri()} ends a folder that exists with
     * "/" — the fingerprint would change once a step has made the folder.
     */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addModule(new SimpleModule().addSerializer(Path.class, new StdSerializer<>(Path.class) {
                @Override
                public void serialize(Path p, JsonGenerator g, SerializerProvider provider) throws IOException {
                    g.writeString(p.toString());
                }
            }))
            .build();

    private PlanDigest() {
    }

    public static String of(Plan plan) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(CANONICAL.writeValueAsBytes(plan)));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint the plan: " + e.getMessage(), e);
        }
    }
}
