package dev.opsdeck.probe.types;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Finds a systemd unit file and its drop-ins the way systemd does and merges them into one view:
 * section → directive → value, with where each value came from. Only what a check needs is
 * modelled: values are not unquoted or specifier-expanded, and type-wide drop-ins
 * ({@code service.d/}) are not read.
 */
final class UnitFiles {
    /** systemd's system unit search path, highest precedence first. */
    static final List<Path> STANDARD_DIRS = List.of(
            Path.of("/etc/systemd/system"),
            Path.of("/run/systemd/system"),
            Path.of("/usr/lib/systemd/system"),
            Path.of("/lib/systemd/system"));

    /** Names systemd accepts, without path separators: a name can never leave the unit directories. */
    static final Pattern UNIT_NAME = Pattern.compile("[A-Za-z0-9_:]([A-Za-z0-9_:.@-]|\\\\x[0-9a-fA-F]{2}){0,250}"
            + "\\.(service|socket|timer|target|path|mount|automount|swap|slice|scope|device)");

    /** Directives that add to a list on each assignment; an empty assignment empties the list. */
    static final Set<String> ACCUMULATING = Set.of(
            "After",
            "Before",
            "Wants",
            "Requires",
            "Requisite",
            "BindsTo",
            "PartOf",
            "Conflicts",
            "OnFailure",
            "Documentation",
            "WantedBy",
            "RequiredBy",
            "Also",
            "ExecStart",
            "ExecStartPre",
            "ExecStartPost",
            "ExecStop",
            "ExecStopPost",
            "ExecReload",
            "ExecCondition",
            "Environment",
            "EnvironmentFile",
            "ReadWritePaths",
            "ReadOnlyPaths",
            "InaccessiblePaths",
            "ExecPaths",
            "NoExecPaths",
            "BindPaths",
            "BindReadOnlyPaths",
            "TemporaryFileSystem",
            "SupplementaryGroups",
            "DeviceAllow",
            "SystemCallFilter",
            "RestrictAddressFamilies",
            "CapabilityBoundingSet",
            "AmbientCapabilities",
            "OnCalendar",
            "OnActiveSec",
            "OnBootSec",
            "OnStartupSec",
            "OnUnitActiveSec",
            "OnUnitInactiveSec",
            "ListenStream",
            "ListenDatagram");

    /** Directives systemd reads as booleans, where 1 and 0 also mean true and false. */
    static final Set<String> BOOLEAN = Set.of(
            "NoNewPrivileges",
            "PrivateTmp",
            "PrivateDevices",
            "PrivateNetwork",
            "PrivateUsers",
            "PrivateMounts",
            "ProtectKernelTunables",
            "ProtectKernelModules",
            "ProtectKernelLogs",
            "ProtectControlGroups",
            "ProtectClock",
            "ProtectHostname",
            "RestrictRealtime",
            "RestrictSUIDSGID",
            "LockPersonality",
            "MemoryDenyWriteExecute",
            "DynamicUser",
            "RemainAfterExit",
            "Persistent",
            "WakeSystem",
            "RemainAfterElapse",
            "DefaultDependencies",
            "RefuseManualStart",
            "RefuseManualStop",
            "IgnoreSIGPIPE",
            "Delegate",
            "GuessMainPID",
            "RemoveIPC",
            "MemoryAccounting",
            "CPUAccounting",
            "TasksAccounting");

    private static final Pattern LIMIT = Pattern.compile("Limit[A-Z]+");

    /** The merged unit: {@code sections} values are Boolean, Long, +Infinity or text. */
    record Unit(
            Path file,
            List<Path> dropIns,
            Map<String, Map<String, Object>> sections,
            Map<String, Map<String, Object>> sources) {}

    private UnitFiles() {}

    /** The unit's file in {@code dirs} (first wins; an instance falls back to its template), or null. */
    static Path find(String unit, List<Path> dirs) {
        for (String name : candidates(unit)) {
            for (Path dir : dirs) {
                Path p = dir.resolve(name);
                if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return p;
            }
        }
        return null;
    }

    /**
     * Drop-ins of {@code unit} across {@code dirs}: a file name in a higher directory hides the same
     * name below it, and all are applied in file name order (systemd's rules).
     */
    static List<Path> dropIns(String unit, List<Path> dirs) throws IOException {
        Map<String, Path> byName = new TreeMap<>();
        List<String> names = candidates(unit).reversed(); // the template's drop-ins come before the instance's
        for (String name : names) {
            Map<String, Path> level = new TreeMap<>();
            for (Path dir : dirs) {
                Path d = dir.resolve(name + ".d");
                if (!Files.isDirectory(d)) continue;
                try (DirectoryStream<Path> files = Files.newDirectoryStream(d, "*.conf")) {
                    for (Path f : files) level.putIfAbsent(f.getFileName().toString(), f);
                }
            }
            byName.putAll(level);
        }
        return List.copyOf(byName.values());
    }

    private static List<String> candidates(String unit) {
        int at = unit.indexOf('@');
        int dot = unit.lastIndexOf('.');
        if (at > 0 && dot > at + 1) {
            return List.of(unit, unit.substring(0, at + 1) + unit.substring(dot));
        }
        return List.of(unit);
    }

    /** Reads the unit file, then each drop-in over it. */
    static Unit read(Path file, List<Path> dropIns) throws IOException {
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        Map<String, Map<String, Object>> sources = new LinkedHashMap<>();
        apply(file, sections, sources);
        for (Path d : dropIns) apply(d, sections, sources);
        return new Unit(file, dropIns, sections, sources);
    }

    private static void apply(
            Path file, Map<String, Map<String, Object>> sections, Map<String, Map<String, Object>> sources)
            throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String section = null;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            // a trailing backslash continues the directive on the next line (comments inside are skipped)
            while (line.endsWith("\\") && i + 1 < lines.size()) {
                String next = lines.get(++i).strip();
                if (next.startsWith("#") || next.startsWith(";")) continue;
                line = line.substring(0, line.length() - 1) + " " + next;
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
                continue;
            }
            int eq = line.indexOf('=');
            if (section == null || eq <= 0) continue; // systemd ignores such lines with a warning
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            set(
                    sections.computeIfAbsent(section, s -> new LinkedHashMap<>()),
                    sources.computeIfAbsent(section, s -> new LinkedHashMap<>()),
                    key,
                    value,
                    file + ":" + lineNo);
        }
    }

    private static void set(
            Map<String, Object> values, Map<String, Object> from, String key, String value, String where) {
        if (ACCUMULATING.contains(key)) {
            if (value.isEmpty()) { // "ReadWritePaths=" forgets what earlier files added
                values.remove(key);
                from.remove(key);
                return;
            }
            Object old = values.get(key);
            values.put(key, old == null ? value : old + " " + value);
            Object oldFrom = from.get(key);
            from.put(key, oldFrom == null ? where : oldFrom + ", " + where);
            return;
        }
        if (value.isEmpty()) { // back to systemd's default
            values.remove(key);
            from.remove(key);
            return;
        }
        if (LIMIT.matcher(key).matches() && !key.endsWith("Soft")) {
            // LimitNOFILE=soft:hard, or one value for both; named as `systemctl show` names them
            int colon = value.indexOf(':');
            values.put(key + "Soft", typed(key, colon < 0 ? value : value.substring(0, colon)));
            values.put(key, typed(key, colon < 0 ? value : value.substring(colon + 1)));
            from.put(key + "Soft", where);
        } else {
            values.put(key, typed(key, value));
        }
        from.put(key, where);
    }

    /** yes/true/on → true, no/false/off → false (1 and 0 too, for boolean directives), digits → number. */
    static Object typed(String key, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        switch (v) {
            case "yes", "true", "on" -> {
                return Boolean.TRUE;
            }
            case "no", "false", "off" -> {
                return Boolean.FALSE;
            }
            case "infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            default -> {}
        }
        if (BOOLEAN.contains(key) && (v.equals("1") || v.equals("0"))) {
            return v.equals("1");
        }
        if (v.matches("\\d{1,18}")) {
            return Long.parseLong(v);
        }
        return value;
    }

    /** The unit's file and drop-ins, for messages. */
    static String describe(Unit u) {
        List<String> all = new ArrayList<>();
        all.add(u.file().toString());
        u.dropIns().forEach(d -> all.add(d.toString()));
        return String.join(", ", all);
    }
}
