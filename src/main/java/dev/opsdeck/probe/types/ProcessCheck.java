package dev.opsdeck.probe.types;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.probe.CheckType;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Probe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code type: process} — a running process found by name or pid file, and what Linux's /proc says
 * about it: limits, user, memory, open files, age. Not finding it is a value ({@code [RUNNING]} false),
 * not a probe failure, so a check can also assert that something is not running.
 */
public final class ProcessCheck implements CheckType {
    /** Linux's comm holds the first 15 bytes of the program name. */
    private static final int COMM_LENGTH = 15;

    private final Path proc;
    private final Path passwd;

    public ProcessCheck() {
        this(Path.of("/proc"), Path.of("/etc/passwd"));
    }

    /** For tests: another /proc (or none) and user database. */
    ProcessCheck(Path proc, Path passwd) {
        this.proc = proc;
        this.passwd = passwd;
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public Set<String> placeholders() {
        return Set.of(
                "RUNNING",
                "COUNT",
                "PID",
                "EVIDENCE",
                "USER",
                "UID",
                "LIMIT_NOFILE",
                "LIMIT_NOFILE_HARD",
                "LIMIT_NPROC",
                "LIMIT_NPROC_HARD",
                "RSS",
                "OPEN_FILES",
                "THREADS",
                "AGE",
                "RESPONSE_TIME");
    }

    @Override
    public List<String> defaultConditions() {
        return List.of("[RUNNING] == true");
    }

    @Override
    public Probe configure(CheckDef check, Fields f) {
        String name = f.string("name", null);
        Path pidFile = f.path("pid_file");
        if (f.has("name") == f.has("pid_file")) {
            f.problems()
                    .add(
                            f.position(),
                            f.section() + ": give exactly one of 'name' and 'pid_file'",
                            "name: postgres finds it by program name; pid_file: /run/app.pid by its pid file");
            return null;
        }
        if (name != null && (name.isBlank() || name.contains("/") || name.contains("\0"))) {
            f.problems()
                    .add(
                            f.positionOf("name"),
                            f.section() + ".name: \"" + name + "\" is not a program name",
                            "the name without directories, e.g. postgres");
            return null;
        }
        if (name == null && pidFile == null) return null; // pid_file was not a path (reported)
        ProcTable table = new ProcTable(proc);
        return context -> {
            if (!table.available()) {
                return Observation.failed(proc + " is not available: the process check reads Linux's /proc");
            }
            try {
                return name != null ? byName(table, name) : byPidFile(table, pidFile);
            } catch (Failed e) {
                return Observation.failed(e.getMessage());
            }
        };
    }

    private Observation byName(ProcTable table, String name) throws Exception {
        String comm = name.length() > COMM_LENGTH ? name.substring(0, COMM_LENGTH) : name;
        record Match(long pid, long start) {}
        List<Match> matches = new java.util.ArrayList<>();
        for (long pid : table.pids()) {
            try {
                if (table.comm(pid).equals(comm) || table.argv0(pid).equals(name)) {
                    if (!"Z".equals(state(table.status(pid)))) matches.add(new Match(pid, table.startTicks(pid)));
                }
            } catch (NoSuchFileException | AccessDeniedException e) {
                // exited while listing, or hidden from us (hidepid): not a match we can read
            }
        }
        if (matches.isEmpty()) return notRunning("no process named " + name);
        // several matches (a server and its workers): the oldest is the one that started the others
        Match oldest = matches.stream()
                .min(Comparator.comparingLong(Match::start).thenComparingLong(Match::pid))
                .orElseThrow();
        String why = matches.size() == 1
                ? "pid " + oldest.pid() + " named " + name
                : matches.size() + " processes named " + name + ", the oldest is pid " + oldest.pid();
        return describe(table, oldest.pid(), why).put("COUNT", (long) matches.size());
    }

    private Observation byPidFile(ProcTable table, Path pidFile) throws Exception {
        String text;
        try {
            text = java.nio.file.Files.readString(pidFile, StandardCharsets.UTF_8)
                    .strip();
        } catch (NoSuchFileException e) {
            return notRunning("pid file " + pidFile + " not found");
        } catch (AccessDeniedException e) {
            throw new Failed("permission denied reading pid file " + pidFile);
        } catch (IOException e) {
            throw new Failed("cannot read pid file " + pidFile + ": " + e.getMessage());
        }
        if (!text.matches("\\d{1,10}") || Long.parseLong(text) == 0) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
            throw new Failed("pid file " + pidFile + " does not hold a pid: \"" + shown + "\"");
        }
        long pid = Long.parseLong(text);
        if (!table.exists(pid)) {
            return notRunning("pid " + pid + " from " + pidFile + " is not running (stale pid file)");
        }
        return describe(table, pid, "pid " + pid + " from " + pidFile).put("COUNT", 1L);
    }

    private static Observation notRunning(String why) {
        return new Observation().put("RUNNING", false).put("COUNT", 0L).put("EVIDENCE", why);
    }

    private Observation describe(ProcTable table, long pid, String why) throws IOException {
        Map<String, String> status;
        Map<String, String[]> limits;
        long openFiles;
        try {
            status = table.status(pid);
            limits = table.limits(pid);
            openFiles = table.openFiles(pid);
        } catch (NoSuchFileException e) {
            return notRunning(why + " exited while being read");
        }
        // Uid: real, effective, saved, fs; the effective uid is whose permissions it has (ps shows it too)
        String[] uids = status.getOrDefault("Uid", "").split("\\s+");
        String uid = uids.length > 1 ? uids[1] : uids[0];
        Observation o = new Observation()
                .put("RUNNING", true)
                .put("PID", pid)
                .put("UID", uid.matches("\\d+") ? Long.parseLong(uid) : null)
                .put("USER", ProcTable.userName(passwd, uid))
                .put("THREADS", number(status.get("Threads")))
                .put("RSS", new Observation.Size(kilobytes(status.get("VmRSS"))));
        limit(o, limits.get("Max open files"), "LIMIT_NOFILE");
        limit(o, limits.get("Max processes"), "LIMIT_NPROC");
        String evidence = why;
        if (openFiles >= 0) {
            o.put("OPEN_FILES", openFiles);
        } else {
            evidence += "; open files not readable (only root or the process's user may list them)";
        }
        Instant started =
                ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).orElse(null);
        if (started != null) o.put("AGE", Duration.between(started, Instant.now()));
        return o.put("EVIDENCE", evidence);
    }

    private static void limit(Observation o, String[] softHard, String name) {
        if (softHard == null) return;
        o.put(name, limitValue(softHard[0])).put(name + "_HARD", limitValue(softHard[1]));
    }

    /** "unlimited" compares as larger than any number and equals the words unlimited and infinity. */
    private static Object limitValue(String s) {
        if (s.equals("unlimited")) return Double.POSITIVE_INFINITY;
        return number(s);
    }

    private static Long number(String s) {
        return s != null && s.matches("\\d{1,18}") ? Long.parseLong(s) : null;
    }

    /** "123456 kB" → bytes; kernel threads have no VmRSS, which is 0. */
    private static long kilobytes(String s) {
        if (s == null) return 0;
        String digits = s.replace("kB", "").strip();
        return digits.matches("\\d{1,15}") ? Long.parseLong(digits) * 1024 : 0;
    }

    private static String state(Map<String, String> status) {
        String s = status.getOrDefault("State", "");
        return s.isEmpty() ? "" : s.substring(0, 1);
    }
}
