package dev.opsdeck.checklist;

import dev.opsdeck.config.ChecklistDef;
import dev.opsdeck.probe.CompiledCheck;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** A checklist ready to run: its definition, its items' inline checks and facts compiled, and its config hash. */
public final class CompiledChecklist implements AutoCloseable {
    private final ChecklistDef def;
    private final Map<String, CompiledCheck> inline;
    private final Map<String, FactType.Judge> facts;
    private final String hash;

    CompiledChecklist(ChecklistDef def, Map<String, CompiledCheck> inline, Map<String, FactType.Judge> facts) {
        this.def = def;
        this.inline = Map.copyOf(inline);
        this.facts = Map.copyOf(facts);
        this.hash = hash(def.toString());
    }

    public ChecklistDef def() {
        return def;
    }

    /** The SHA-256 (first 16 hex digits) of the checklist as configured: an export names the version it proves. */
    public String configHash() {
        return hash;
    }

    CompiledCheck inline(String itemId) {
        return inline.get(itemId);
    }

    FactType.Judge fact(String itemId) {
        return facts.get(itemId);
    }

    static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        inline.values().forEach(CompiledCheck::close);
    }
}
