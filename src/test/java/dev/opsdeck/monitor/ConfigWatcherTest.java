package dev.opsdeck.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.blueprint.ConfigWatcher;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.probe.Status;
import dev.opsdeck.store.HistoryRepository;
import dev.opsdeck.store.ResultWriter;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Hot reload through the real watcher, engine, writer and embedded store. */
class ConfigWatcherTest {
    @TempDir
    Path dir;

    static final String CONFIG = """
            monitoring:
              defaults: { interval: %3$s }
            services:
              svc:
                checks:
                  a: { type: tcp, host: 127.0.0.1, port: %1$d }
            %2$s""";

    @Test
    void editsApplyWithoutRestartAndUnchangedChecksKeepStateAndHistory() throws Exception {
        Path file = dir.resolve("opsdeck.yaml");
        try (TcpTarget up = TcpTarget.up();
                Store store = Store.open(new StoreConfig("embedded", 4, Position.NONE), dir.resolve("data"));
                ResultWriter writer = new ResultWriter(store, 10_000);
                MonitorEngine engine =
                        new MonitorEngine(writer, new MonitorMetrics(new SimpleMeterRegistry()), Clock.systemUTC())) {
            int closed = TcpTarget.closedPort();
            String b = "      b: { type: tcp, host: 127.0.0.1, port: %d }\n".formatted(up.port());
            String d = "      d: { type: tcp, host: 127.0.0.1, port: %d }\n";
            Files.writeString(file, CONFIG.formatted(up.port(), b + d.formatted(up.port()), "100ms"));
            ConfigLoader loader = ConfigLoader.standard();
            Blueprint first = new Compiler(loader).load(file);
            engine.apply(first.config(), first.checks(), Map.of());
            HistoryRepository history = new HistoryRepository(store);
            try (ConfigWatcher watcher = new ConfigWatcher(
                    file, new Compiler(loader), next -> engine.apply(next.config(), next.checks(), Map.of()))) {
                watcher.start(first, 100);
                AtomicInteger aRuns = new AtomicInteger();
                engine.addListener((id, r, current, previous) -> {
                    if (id.equals("svc/a")) aRuns.incrementAndGet();
                });
                EngineHarness.await(() -> aRuns.get() >= 3 && status(engine, "svc/a") == Status.UP, "a up");
                long since = check(engine, "svc/a").sinceMs();
                long beforeReload = System.currentTimeMillis();

                // remove b, add c, point d at a closed port; a is untouched
                String c = "      c: { type: tcp, host: 127.0.0.1, port: %d }\n".formatted(up.port());
                Files.writeString(file, CONFIG.formatted(up.port(), c + d.formatted(closed), "100ms"));
                EngineHarness.await(() -> check(engine, "svc/c") != null && check(engine, "svc/b") == null, "reload");
                assertThat(watcher.lastErrors()).isEmpty();
                assertThat(watcher.lastReloadMs()).isGreaterThanOrEqualTo(beforeReload);
                assertThat(check(engine, "svc/a").status())
                        .as("state kept, not reset to unknown")
                        .isEqualTo(Status.UP);
                assertThat(check(engine, "svc/a").sinceMs()).isEqualTo(since);
                EngineHarness.await(() -> status(engine, "svc/d") == Status.DOWN, "d down after its change");
                int runs = aRuns.get();
                EngineHarness.await(() -> aRuns.get() > runs + 2, "a keeps running");
                assertThat(writer.flush(5_000)).isTrue();
                assertThat(history.raw("svc/a", 0, 1_000))
                        .extracting(HistoryRepository.RawResult::atMs)
                        .anyMatch(at -> at < beforeReload)
                        .anyMatch(at -> at > beforeReload + 100);

                // an invalid edit is rejected; the running config goes on
                Files.writeString(
                        file,
                        CONFIG.formatted(
                                up.port(),
                                c + "      d: { type: tcp, host: 127.0.0.1, port: 1, intervall: 1s }\n",
                                "100ms"));
                EngineHarness.await(() -> !watcher.lastErrors().isEmpty(), "the edit to be rejected");
                assertThat(watcher.lastErrors())
                        .extracting(Object::toString)
                        .containsExactly(file + ":8:49: "
                                + "services.svc.checks.d: unknown key 'intervall' (hint: did you mean 'interval'?)");
                int runsAfterReject = aRuns.get();
                EngineHarness.await(() -> aRuns.get() > runsAfterReject + 2, "a keeps running after the rejected edit");
                assertThat(engine.checkCount()).isEqualTo(3);
                assertThat(status(engine, "svc/d")).isEqualTo(Status.DOWN);

                // a new default interval reaches a, whose own definition did not change
                Files.writeString(file, CONFIG.formatted(up.port(), c, "300ms"));
                EngineHarness.await(
                        () -> watcher.lastErrors().isEmpty() && check(engine, "svc/d") == null, "fixed config");
                assertThat(check(engine, "svc/a").intervalMs()).isEqualTo(300);
            }
        }
    }

    @Test
    void aBrokenNewFileInADirectoryIsReportedOnceNotReloadedEveryPoll() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        ConfigLoader loader = new ConfigLoader(new YamlReader(name -> {
            if (name.equals("LOAD_COUNTER")) loads.incrementAndGet();
            return "1";
        }));
        Files.writeString(dir.resolve("a.yaml"), "services:\n  a: { description: \"${env:LOAD_COUNTER}\" }\n");
        try (MonitorEngine engine =
                new MonitorEngine(null, new MonitorMetrics(new SimpleMeterRegistry()), Clock.systemUTC())) {
            Blueprint first = new Compiler(loader).load(dir);
            engine.apply(first.config(), first.checks(), Map.of());
            try (ConfigWatcher watcher = new ConfigWatcher(
                    dir, new Compiler(loader), next -> engine.apply(next.config(), next.checks(), Map.of()))) {
                watcher.start(first, 50);
                Files.writeString(dir.resolve("b.yaml"), "services:\n  b: { depends_on: [nope] }\n");
                EngineHarness.await(() -> !watcher.lastErrors().isEmpty(), "the new file to be rejected");
                int after = loads.get();
                Thread.sleep(600);
                assertThat(loads.get() - after)
                        .as("reloads of an unchanged broken directory")
                        .isLessThanOrEqualTo(1);
                assertThat(watcher.lastErrors())
                        .extracting(Object::toString)
                        .containsExactly(
                                dir.resolve("b.yaml")
                                        + ":2:21: services.b.depends_on: unknown service 'nope' (hint: declare it under services:)");
                Files.delete(dir.resolve("b.yaml"));
                EngineHarness.await(() -> watcher.lastErrors().isEmpty(), "recovery once the file is gone");
            }
        }
    }

    @Test
    void aSingleFileReloadsOnlyWhenItOrAFileItIncludesChanges() throws Exception {
        Path file = dir.resolve("opsdeck.yaml");
        Files.createDirectories(dir.resolve("parts"));
        Files.writeString(dir.resolve("parts").resolve("a.yaml"), "services:\n  a: { description: first }\n");
        Files.writeString(file, "include: parts/*.yaml\nservices:\n  main: { description: main }\n");
        ConfigLoader loader = ConfigLoader.standard();
        Blueprint first = new Compiler(loader).load(file);
        List<Blueprint> applied = new CopyOnWriteArrayList<>();
        try (ConfigWatcher watcher = new ConfigWatcher(file, new Compiler(loader), applied::add)) {
            watcher.start(first, 50);
            // other files beside the config, new or changed, are none of its business
            Files.writeString(dir.resolve("notes.txt"), "not configuration");
            Files.writeString(dir.resolve("other.yaml"), "services: { other: {} }\n");
            Files.createDirectories(dir.resolve("backups"));
            Files.writeString(dir.resolve("opsdeck.yaml.swp"), "an editor's swap file");
            // a file saved unchanged (its time stamp moves) is not a change either
            Files.writeString(file, Files.readString(file));
            Thread.sleep(600);
            assertThat(applied)
                    .as("reloads without a change to the configuration's own files")
                    .isEmpty();
            assertThat(watcher.lastErrors()).isEmpty();

            Files.writeString(dir.resolve("parts").resolve("a.yaml"), "services:\n  a: { description: second }\n");
            EngineHarness.await(() -> applied.size() == 1, "the change to an included file");
            assertThat(applied.getFirst().config().service("a").orElseThrow().description())
                    .isEqualTo("second");
            Files.writeString(dir.resolve("parts").resolve("b.yaml"), "services:\n  b: {}\n");
            EngineHarness.await(() -> applied.size() == 2, "a new file that the include glob matches");
            Files.writeString(file, "include: parts/*.yaml\nservices:\n  main: { description: edited }\n");
            EngineHarness.await(() -> applied.size() == 3, "the edit of the file itself");
            Thread.sleep(300);
            assertThat(applied).hasSize(3);
        }
    }

    @Test
    void aValueErrorOnReloadIsRejectedWithItsPositionAndLoggedOnce() throws Exception {
        Path file = dir.resolve("opsdeck.yaml");
        String runbook = """
                runbooks:
                  restart:
                    description: "${env:COUNT_LOADS}"
                    steps:
                      - { id: a, type: sleep, duration: 1s, target: %s }
                """;
        AtomicInteger loads = new AtomicInteger();
        ConfigLoader loader = new ConfigLoader(new YamlReader(name -> {
            loads.incrementAndGet();
            return "1";
        }));
        Files.writeString(file, runbook.formatted("5s"));
        Blueprint first = new Compiler(loader).load(file);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(ConfigWatcher.class)).addAppender(log);
        try (ConfigWatcher watcher = new ConfigWatcher(file, new Compiler(loader), next -> {})) {
            watcher.start(first, 50);
            for (String bad : List.of("abc", "\"5\"", "true", "[]", "-1s")) {
                Files.writeString(file, runbook.formatted(bad));
                EngineHarness.await(() -> !watcher.lastErrors().isEmpty(), "the edit with target " + bad);
                assertThat(watcher.lastErrors())
                        .extracting(Object::toString)
                        .singleElement()
                        .asString()
                        .startsWith(file + ":5:53: runbooks.restart.steps[0].target: ");
                Files.writeString(file, runbook.formatted("5s"));
                EngineHarness.await(() -> watcher.lastErrors().isEmpty(), "the fix after " + bad);
            }
            Files.writeString(file, runbook.formatted("abc"));
            EngineHarness.await(() -> !watcher.lastErrors().isEmpty(), "the broken edit");
            int after = loads.get();
            long logged = log.list.stream()
                    .filter(e -> e.getFormattedMessage().contains("target"))
                    .count();
            Thread.sleep(500);
            assertThat(loads.get()).as("loads of unchanged broken content").isEqualTo(after);
            // the same broken content saved again is loaded again, but not logged again
            Files.writeString(file, runbook.formatted("abc"));
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
            EngineHarness.await(() -> loads.get() > after, "the reload of the saved file");
            Thread.sleep(300);
            assertThat(log.list.stream()
                            .filter(e -> e.getFormattedMessage().contains("target"))
                            .count())
                    .isEqualTo(logged);
        } finally {
            ((Logger) LoggerFactory.getLogger(ConfigWatcher.class)).detachAppender(log);
        }
    }

    @Test
    void aFailureWhileReloadingIsARejectedReloadNotAValidConfiguration() throws Exception {
        Path file = dir.resolve("opsdeck.yaml");
        AtomicInteger loads = new AtomicInteger();
        ConfigLoader loader = new ConfigLoader(new YamlReader(name -> {
            loads.incrementAndGet();
            return "1";
        }));
        Files.writeString(file, "services:\n  a: { description: \"${env:COUNT_LOADS}\" }\n");
        Blueprint first = new Compiler(loader).load(file);
        Consumer<Blueprint> apply = next -> {
            if (next.config().service("b").isPresent()) throw new IllegalStateException("cannot apply b");
        };
        try (ConfigWatcher watcher = new ConfigWatcher(file, new Compiler(loader), apply)) {
            watcher.start(first, 50);
            Files.writeString(file, "services:\n  a: { description: \"${env:COUNT_LOADS}\" }\n  b: {}\n");
            EngineHarness.await(() -> !watcher.lastErrors().isEmpty(), "the failed reload to be reported");
            assertThat(watcher.lastErrors())
                    .extracting(Object::toString)
                    .containsExactly(file + ":1:1: the configuration"
                            + " could not be loaded: java.lang.IllegalStateException: cannot apply b"
                            + " (hint: the previous configuration keeps running)");
            int after = loads.get();
            Thread.sleep(500);
            assertThat(loads.get())
                    .as("a failed reload is not retried every poll")
                    .isEqualTo(after);
            assertThat(watcher.lastErrors()).hasSize(1);
        }
    }

    static ServiceStatus.CheckStatus check(MonitorEngine engine, String id) {
        return engine.services().stream()
                .flatMap(s -> s.checks().stream())
                .filter(c -> c.id().equals(id))
                .findFirst()
                .orElse(null);
    }

    static Status status(MonitorEngine engine, String id) {
        ServiceStatus.CheckStatus c = check(engine, id);
        return c == null ? null : c.status();
    }
}
