package dev.opsdeck.blueprint;

import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the configuration when a file changes. Polls modification times (robust across editors
 * that replace files, included files and directories). A valid config is handed to {@code apply};
 * an invalid one is rejected, the old one keeps running, and the errors stay visible via {@link #lastErrors()}.
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path path;
    private final Compiler compiler;
    private final Consumer<Blueprint> apply;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("opsdeck-config-watch").daemon().factory());
    private volatile Map<Path, Long> stamps = Map.of();
    private Map<Path, Long> pending; // a change seen on the last poll, not yet known to be complete
    private volatile List<Problem> lastErrors = List.of();
    private volatile long lastReloadMs;
    private String runningContent = ""; // digest of the files the running configuration was read from

    public ConfigWatcher(Path path, Compiler compiler, Consumer<Blueprint> apply) {
        this.path = path;
        this.compiler = compiler;
        this.apply = apply;
    }

    /** Records the files of the running blueprint and starts polling. */
    public void start(Blueprint running, long pollMillis) {
        stamps = stampsOf(running.config().watched());
        runningContent = contentOf(running.config().watched());
        poller.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** Problems of the last rejected reload; empty when the running config is the newest one. */
    public List<Problem> lastErrors() {
        return lastErrors;
    }

    public long lastReloadMs() {
        return lastReloadMs;
    }

    private void poll() {
        try {
            Set<Path> watched = new HashSet<>(stamps.keySet());
            watched.addAll(directoryFiles());
            Map<Path, Long> current = stampsOf(watched);
            if (current.equals(stamps)) {
                pending = null;
                return;
            }
            // an editor's write may be seen half-way, even as an empty (and valid!) file that would remove
            // every check: reload only once the change has held still for one poll
            if (!current.equals(pending)) {
                pending = current;
                return;
            }
            pending = null;
            reload();
        } catch (RuntimeException e) {
            LOG.warn("event=config_watch_failed error=\"{}\"", e.toString());
        }
    }

    /** Reloads now; returns the problems (empty when applied, or when nothing changed). */
    public synchronized List<Problem> reload() {
        List<Problem> problems;
        try {
            Blueprint next = compiler.load(path);
            stamps = stampsOf(next.config().watched());
            String content = contentOf(next.config().watched());
            if (content.equals(runningContent)) {
                // touched but not changed (a file saved as it was, a folder's time stamp): nothing to apply
                next.close();
                lastErrors = List.of();
                return List.of();
            }
            // recorded before the swap: whoever sees the new checks also sees this reload
            lastErrors = List.of();
            lastReloadMs = System.currentTimeMillis();
            apply.accept(next);
            runningContent = content;
            LOG.info("event=config_reloaded files={}", next.config().files().size());
            return List.of();
        } catch (ConfigException e) {
            problems = e.problems();
        } catch (RuntimeException e) {
            // a loader bug must not pass for a valid configuration: it is a rejected reload like any other
            LOG.debug("config reload failed", e);
            problems = List.of(new Problem(
                    new Position(path.toAbsolutePath().toString(), 1, 1),
                    "the configuration could not be loaded: " + e,
                    "the previous configuration keeps running"));
        }
        // do not retry the same broken files every poll, including a broken new file in the directory
        Set<Path> files = new HashSet<>(stamps.keySet());
        files.addAll(directoryFiles());
        stamps = stampsOf(files);
        boolean known = problems.equals(lastErrors); // the same broken content saved again: said already
        lastErrors = problems;
        if (!known) {
            for (Problem p : problems) {
                LOG.error("event=config_rejected problem=\"{}\"", p);
            }
            LOG.error(
                    "event=config_rejected errors={} note=\"the previous configuration keeps running\"",
                    problems.size());
        }
        return problems;
    }

    /** The YAML files directly in a watched directory (none when a single file is watched). */
    private List<Path> directoryFiles() {
        if (!Files.isDirectory(path)) return List.of();
        try (Stream<Path> list = Files.list(path)) {
            return list.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .map(p -> p.toAbsolutePath().normalize())
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A digest of the regular files among {@code watched}: names and contents. */
    private static String contentOf(List<Path> watched) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path p : watched.stream().sorted().toList()) {
                if (!Files.isRegularFile(p)) continue;
                digest.update(p.toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                try {
                    digest.update(Files.readAllBytes(p));
                } catch (IOException e) {
                    digest.update((byte) 1); // unreadable now: differs from any content
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<Path, Long> stampsOf(Iterable<Path> files) {
        Map<Path, Long> out = new HashMap<>();
        for (Path p : files) {
            try {
                out.put(p, Files.getLastModifiedTime(p).toMillis() ^ Files.size(p) << 20);
            } catch (IOException e) {
                out.put(p, -1L);
            }
        }
        return out;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
