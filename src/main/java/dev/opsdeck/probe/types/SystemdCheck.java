package dev.opsdeck.probe.types;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.probe.CheckType;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Probe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code type: systemd} — what a unit's file and drop-ins say (hardening, limits, timer schedules),
 * optionally with what the running systemd reports. Directives are read per section:
 * {@code [Service].ProtectSystem == strict}.
 */
public final class SystemdCheck implements CheckType {
    /** Placeholders that need the running systemd. */
    private static final Set<String> LIVE_ONLY = Set.of("LIVE", "ACTIVE", "LAST_TRIGGER");

    private static final List<String> STATE = List.of(
            "LoadState", "ActiveState", "SubState", "UnitFileState", "FragmentPath", "LastTriggerUSec", "Result");

    private final Path booted;

    public SystemdCheck() {
        this(Systemctl.BOOTED);
    }

    /** For tests: where systemd's boot marker directory is looked for. */
    SystemdCheck(Path booted) {
        this.booted = booted;
    }

    @Override
    public String name() {
        return "systemd";
    }

    @Override
    public Set<String> placeholders() {
        return Set.of(
                "EXISTS",
                "FILE",
                "DROP_INS",
                "SOURCE",
                "UNIT",
                "SERVICE",
                "INSTALL",
                "TIMER",
                "SOCKET",
                "LIVE",
                "ACTIVE",
                "LAST_TRIGGER",
                "RESPONSE_TIME");
    }

    @Override
    public List<String> defaultConditions() {
        return List.of("[EXISTS] == true");
    }

    private record Settings(
            String unit, Path unitFile, List<Path> dirs, String live, boolean absentIsValue, Set<String> liveNeeded) {}

    @Override
    public Probe configure(CheckDef check, Fields f) {
        String unit = f.requiredString("unit");
        if (unit != null && !UnitFiles.UNIT_NAME.matcher(unit).matches()) {
            f.problems()
                    .add(
                            f.positionOf("unit"),
                            f.section() + ".unit: \"" + unit + "\" is not a unit name",
                            "a name with its type, e.g. opsdeck.service or backup.timer: letters, digits, : _ . @ -");
            unit = null;
        }
        Path unitFile = f.path("unit_file");
        List<Path> dirs = new ArrayList<>();
        for (YamlNode n : f.scalarList("unit_dirs")) {
            if (!n.text().startsWith("/")) {
                f.problems()
                        .add(n.position(), f.section() + ".unit_dirs: \"" + n.text() + "\" is not an absolute path");
            } else {
                dirs.add(Path.of(n.text()));
            }
        }
        if (unitFile != null && f.has("unit_dirs")) {
            f.problems().add(f.positionOf("unit_dirs"), f.section() + ": give unit_file or unit_dirs, not both");
        }
        String live = f.oneOf("live", "auto", new LinkedHashSet<>(List.of("auto", "true", "false")));
        List<YamlNode> conditions = Stream.concat(check.conditions().stream(), check.degradedWhen().stream())
                .toList();
        Set<String> named = new LinkedHashSet<>();
        for (YamlNode c : conditions) {
            String text = c.text().toUpperCase(Locale.ROOT);
            for (String p : placeholders()) if (text.contains("[" + p + "]")) named.add(p);
        }
        Set<String> liveNeeded = new LinkedHashSet<>(named);
        liveNeeded.retainAll(LIVE_ONLY);
        if ("false".equals(live) && !liveNeeded.isEmpty()) {
            f.problems()
                    .add(
                            f.positionOf("live"),
                            f.section() + ": conditions use [" + String.join("], [", liveNeeded)
                                    + "] but live is false",
                            "these values come from the running systemd; set live: auto or true");
        }
        if (unit == null) return null;
        Settings s = new Settings(
                unit,
                unitFile,
                dirs.isEmpty() ? UnitFiles.STANDARD_DIRS : List.copyOf(dirs),
                live,
                named.contains("EXISTS"),
                liveNeeded);
        return context -> {
            try {
                return observe(s, new Deadline(context.timeout()));
            } catch (Failed e) {
                return Observation.failed(e.getMessage());
            }
        };
    }

    private Observation observe(Settings s, Deadline deadline) throws Exception {
        Path file = s.unitFile() != null ? s.unitFile() : UnitFiles.find(s.unit(), s.dirs());
        if (file == null || !Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            String where = s.unitFile() != null
                    ? "unit file " + s.unitFile() + " not found"
                    : "unit " + s.unit() + " not found in "
                            + String.join(
                                    ", ", s.dirs().stream().map(Path::toString).toList());
            if (!s.absentIsValue()) throw new Failed(where);
            return new Observation().put("EXISTS", false).put("FILE", where);
        }
        if (Files.isSymbolicLink(file) && Files.readSymbolicLink(file).equals(Path.of("/dev/null"))) {
            throw new Failed("unit " + s.unit() + " is masked (" + file + " links to /dev/null)");
        }
        List<Path> dropIns = s.unitFile() != null
                ? UnitFiles.dropIns(
                        file.getFileName().toString(),
                        List.of(file.toAbsolutePath().getParent()))
                : UnitFiles.dropIns(s.unit(), s.dirs());
        UnitFiles.Unit u;
        try {
            u = UnitFiles.read(file, dropIns);
        } catch (IOException e) {
            throw new Failed("cannot read " + file + ": " + e.getMessage());
        }
        Observation o = new Observation()
                .put("EXISTS", true)
                .put("FILE", file.toString())
                .put(
                        "DROP_INS",
                        String.join(" ", dropIns.stream().map(Path::toString).toList()))
                .put("SOURCE", u.sources());
        for (String section : List.of("Unit", "Service", "Install", "Timer", "Socket")) {
            o.put(section.toUpperCase(Locale.ROOT), u.sections().getOrDefault(section, Map.of()));
        }
        if ("false".equals(s.live())) return o;
        Systemctl systemctl = Systemctl.find(booted);
        if (systemctl == null) {
            if ("true".equals(s.live()) || !s.liveNeeded().isEmpty()) {
                throw new Failed("systemd is not running on this host (needed for live: true and for "
                        + "[LIVE], [ACTIVE], [LAST_TRIGGER]); the unit file alone is " + UnitFiles.describe(u));
            }
            return o;
        }
        Set<String> properties = new LinkedHashSet<>(STATE);
        u.sections().values().forEach(m -> properties.addAll(m.keySet()));
        Map<String, String> shown = systemctl.show(s.unit(), properties, deadline);
        Map<String, Object> live = new LinkedHashMap<>();
        shown.forEach((k, v) -> live.put(k, UnitFiles.typed(k, v)));
        o.put("LIVE", live).put("ACTIVE", shown.getOrDefault("ActiveState", ""));
        Instant last = Systemctl.timestamp(shown.get("LastTriggerUSec"));
        if (last != null) {
            o.put("LAST_TRIGGER", Duration.between(last, Instant.now()));
        } else if (s.liveNeeded().contains("LAST_TRIGGER")) {
            throw new Failed(s.unit() + " has never been triggered (LastTriggerUSec is empty)");
        }
        return o;
    }
}
