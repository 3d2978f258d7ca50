package dev.opsdeck.probe.types;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads processes from Linux's /proc. Every read may find the process gone (it exited meanwhile):
 * callers get {@link NoSuchFileException} and decide what that means.
 */
final class ProcTable {
    /** A /proc/PID/limits line: name, soft, hard, optional unit; names have single spaces inside. */
    private static final Pattern LIMIT = Pattern.compile("(\\S+(?: \\S+)*)\\s{2,}(\\S+)\\s+(\\S+)(?:\\s+\\S+)?");

    private final Path root;

    ProcTable(Path root) {
        this.root = root;
    }

    boolean available() {
        return Files.isRegularFile(root.resolve("self/stat"));
    }

    /** Process ids in /proc, in no particular order. */
    List<Long> pids() throws IOException {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs =
                Files.newDirectoryStream(root, p -> isNumber(p.getFileName().toString()))) {
            for (Path d : dirs) out.add(Long.parseLong(d.getFileName().toString()));
        }
        return out;
    }

    boolean exists(long pid) {
        return Files.isDirectory(dir(pid));
    }

    /** The kernel's name for the process (at most 15 characters). */
    String comm(long pid) throws IOException {
        return Files.readString(dir(pid).resolve("comm"), StandardCharsets.UTF_8)
                .strip();
    }

    /** The program name from argv[0] without directories; empty for kernel threads. */
    String argv0(long pid) throws IOException {
        byte[] cmdline = Files.readAllBytes(dir(pid).resolve("cmdline"));
        int end = 0;
        while (end < cmdline.length && cmdline[end] != 0) end++;
        String arg = new String(cmdline, 0, end, StandardCharsets.UTF_8);
        int slash = arg.lastIndexOf('/');
        return slash < 0 ? arg : arg.substring(slash + 1);
    }

    /** Start time in clock ticks after boot (field 22 of /proc/PID/stat): orders processes by age. */
    long startTicks(long pid) throws IOException {
        String stat = Files.readString(dir(pid).resolve("stat"), StandardCharsets.UTF_8);
        // the command name in parentheses may contain spaces and ')': fields are counted after the last ')'
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(rest[19]);
    }

    /** /proc/PID/status as name → value. */
    Map<String, String> status(long pid) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir(pid).resolve("status"), StandardCharsets.UTF_8)) {
            int colon = line.indexOf(':');
            if (colon > 0)
                out.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return out;
    }

    /** /proc/PID/limits as name → {soft, hard}; "unlimited" stays text. */
    Map<String, String[]> limits(long pid) throws IOException {
        Map<String, String[]> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir(pid).resolve("limits"), StandardCharsets.UTF_8)) {
            Matcher m = LIMIT.matcher(line.strip());
            if (m.matches() && !line.startsWith("Limit ")) {
                out.put(m.group(1), new String[] {m.group(2), m.group(3)});
            }
        }
        return out;
    }

    /** Open file descriptors, or -1 when /proc/PID/fd may not be read (another user's process). */
    long openFiles(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(dir(pid).resolve("fd"))) {
            return fds.count();
        } catch (AccessDeniedException e) {
            return -1;
        }
    }

    /** The user name of a uid from /etc/passwd, or the number when it has none. */
    static String userName(Path passwd, String uid) {
        try {
            for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
                String[] f = line.split(":", -1);
                if (f.length > 2 && f[2].equals(uid)) return f[0];
            }
        } catch (IOException e) {
            // no passwd file (a minimal container): the number is still exact
        }
        return uid;
    }

    private Path dir(long pid) {
        return root.resolve(Long.toString(pid));
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }
}
