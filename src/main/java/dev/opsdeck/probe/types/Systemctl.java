package dev.opsdeck.probe.types;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Asks the running systemd about a unit through {@code systemctl show}: a fixed argument list, an
 * environment holding only PATH, no shell. The unit name is validated before it gets here.
 */
final class Systemctl {
    /** systemd creates this directory at boot; its presence is how sd_booted() tells systemd is PID 1. */
    static final Path BOOTED = Path.of("/run/systemd/system");

    private static final long MAX_OUTPUT = 256 * 1024;
    private static final String FALLBACK_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Path program;
    private final String path;

    private Systemctl(Path program, String path) {
        this.program = program;
        this.path = path;
    }

    /** The systemctl to use, or null when systemd is not running here or systemctl is not on PATH. */
    static Systemctl find(Path booted) {
        if (!Files.isDirectory(booted)) return null;
        String path = System.getenv("PATH");
        if (path == null || path.isBlank()) path = FALLBACK_PATH;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, "systemctl");
            if (Files.isExecutable(p)) return new Systemctl(p, path);
        }
        return null;
    }

    /** {@code systemctl show} of the unit's properties; timestamps as {@code @seconds} since the epoch. */
    Map<String, String> show(String unit, Collection<String> properties, Deadline deadline) throws Exception {
        List<String> argv = new ArrayList<>(List.of(
                program.toString(),
                "show",
                "--no-pager",
                "--timestamp=unix",
                "--property=" + String.join(",", properties)));
        argv.add("--");
        argv.add(unit);
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().put("PATH", path);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new Failed("cannot run " + program + ": " + e.getMessage());
        }
        try {
            OutputDrain out = OutputDrain.start(p.getInputStream(), MAX_OUTPUT, "systemctl-stdout-" + p.pid());
            OutputDrain err = OutputDrain.start(p.getErrorStream(), MAX_OUTPUT, "systemctl-stderr-" + p.pid());
            if (!p.waitFor(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS)) {
                throw new Failed(deadline.message() + " waiting for systemctl show");
            }
            out.await(500);
            err.await(500);
            if (p.exitValue() != 0) {
                throw new Failed("systemctl show " + unit + " exited with " + p.exitValue() + ": " + err.text());
            }
            return parse(out.text());
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(1, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code Name=value} lines; a value may contain '='. */
    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) out.put(line.substring(0, eq), line.substring(eq + 1).strip());
        }
        return out;
    }

    /** A timestamp printed with --timestamp=unix ("@1700000000"), or null when unset (empty, "n/a", "0"). */
    static Instant timestamp(String value) {
        if (value == null || !value.matches("@\\d+(\\.\\d+)?")) return null;
        double seconds = Double.parseDouble(value.substring(1));
        return seconds <= 0 ? null : Instant.ofEpochMilli((long) (seconds * 1000));
    }
}
