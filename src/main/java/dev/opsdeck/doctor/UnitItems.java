package dev.opsdeck.doctor;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.ChecklistDef;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.YamlNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;

/**
 * {@code opsdeck doctor --unit FILE}: the hardening a node's systemd unit needs (docs/production.md), one item each,
 * proven by an inline check of the standard {@code systemd} type reading FILE and its drop-ins ({@code live: false}:
 * the file says what runs, whether or not systemd runs here).
 */
final class UnitItems {
    /** One directive to check: its item, the condition on the merged unit, and the line that fixes it. */
    record Hardening(String id, String title, Function<Path, String> condition, String fix) {}

    static final List<Hardening> HARDENING = List.of(
            new Hardening(
                    "unit-user",
                    "the unit must run as a dedicated user",
                    d -> "[Service].User != root",
                    "User=opsdeck in [Service] (a system user that owns only the data directory)"),
            new Hardening(
                    "unit-protect-system",
                    "the unit must mount the file system read-only (ProtectSystem=strict)",
                    d -> "[Service].ProtectSystem == strict",
                    "ProtectSystem=strict in [Service]"),
            new Hardening(
                    "unit-read-write-paths",
                    "the unit must allow writing to the data directory",
                    d -> "[Service].ReadWritePaths == pat(*" + d + "*)",
                    "ReadWritePaths=DATA_DIR in [Service]"),
            new Hardening(
                    "unit-no-new-privileges",
                    "the unit must forbid new privileges (NoNewPrivileges=yes)",
                    d -> "[Service].NoNewPrivileges == true",
                    "NoNewPrivileges=yes in [Service]"),
            new Hardening(
                    "unit-private-tmp",
                    "the unit must have a private /tmp (PrivateTmp=yes)",
                    d -> "[Service].PrivateTmp == true",
                    "PrivateTmp=yes in [Service]"),
            new Hardening(
                    "unit-protect-home",
                    "the unit must not see /home (ProtectHome=yes)",
                    d -> "[Service].ProtectHome == true",
                    "ProtectHome=yes in [Service]"),
            new Hardening(
                    "unit-limit-nofile",
                    "the unit must allow 65536 open files (LimitNOFILE)",
                    d -> "[Service].LimitNOFILE >= 65536",
                    "LimitNOFILE=65536 in [Service] (every check, connection and file counts)"),
            new Hardening(
                    "unit-restart",
                    "the unit must restart the node when it fails (Restart=on-failure)",
                    d -> "[Service].Restart == any(on-failure, always)",
                    "Restart=on-failure in [Service]"));

    private UnitItems() {}

    /** The items for {@code unit}, the data directory taken from {@code config}. */
    static List<ChecklistDef.Item> items(Path unit, OpsdeckConfig config, Position at) {
        Path file = unit.toAbsolutePath();
        Path dataDir = config.server().dataDir().toAbsolutePath().normalize();
        return HARDENING.stream()
                .map(h -> new ChecklistDef.Item(
                        h.id(),
                        h.title(),
                        ChecklistDef.Severity.REQUIRED,
                        null,
                        new ChecklistDef.Inline(check(h, file, dataDir, at)),
                        at))
                .toList();
    }

    private static CheckDef check(Hardening h, Path file, Path dataDir, Position at) {
        YamlNode condition = YamlNode.scalar(h.condition().apply(dataDir), at, false);
        LinkedHashMap<YamlNode.Key, YamlNode> spec = new LinkedHashMap<>();
        spec.put(new YamlNode.Key("type", at), YamlNode.scalar("systemd", at, false));
        // the unit's name is its file's: SystemdCheck refuses a name that is not a unit name, and doctor says so
        spec.put(
                new YamlNode.Key("unit", at), YamlNode.scalar(file.getFileName().toString(), at, false));
        spec.put(new YamlNode.Key("unit_file", at), YamlNode.scalar(file.toString(), at, false));
        spec.put(new YamlNode.Key("live", at), YamlNode.scalar("false", at, false));
        spec.put(new YamlNode.Key("conditions", at), YamlNode.list(List.of(condition), at));
        return new CheckDef(
                "checklist:" + Doctor.CHECKLIST,
                h.id(),
                "systemd",
                at,
                Duration.ofMinutes(1),
                Duration.ofSeconds(5),
                1,
                1,
                List.of(condition),
                List.of(),
                YamlNode.map(spec, at),
                at);
    }
}
