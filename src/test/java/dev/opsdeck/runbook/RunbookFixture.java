package dev.opsdeck.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problem;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.notify.Notifier;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** A runbook service on a real store (SQLite in a temporary folder) over a configuration written by the test. */
final class RunbookFixture implements AutoCloseable {
    final TestDatabases.Backend backend;
    final Store store;
    final Runbooks runbooks;
    final OpsdeckConfig config;
    final Map<String, CompiledCheck> checks;
    final List<String> notified = new CopyOnWriteArrayList<>();
    final List<Run> events = new CopyOnWriteArrayList<>();

    RunbookFixture(Path dir, String yaml) throws IOException {
        this(dir, yaml, TestDatabases.sqlite());
    }

    RunbookFixture(Path dir, String yaml, TestDatabases.Backend backend) throws IOException {
        this(dir, yaml, backend, name -> "secret-from-env-" + name, System::getenv);
    }

    /** {@code environment} stands for the server process's: the configuration's ${env:} and the steps read it. */
    RunbookFixture(Path dir, String yaml, Map<String, String> environment) throws IOException {
        this(dir, yaml, TestDatabases.sqlite(), environment::get, environment::get);
    }

    private RunbookFixture(
            Path dir,
            String yaml,
            TestDatabases.Backend backend,
            UnaryOperator<String> configEnv,
            UnaryOperator<String> serverEnv)
            throws IOException {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
        List<Problem> problems = new ArrayList<>();
        Blueprint bp = null;
        try {
            bp = new Compiler(new ConfigLoader(new YamlReader(configEnv))).load(file);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        assertThat(problems).as("config problems").isEmpty();
        config = bp.config();
        checks = bp.checks();
        this.backend = backend;
        store = backend.open();
        Notifier notifier = (channel, key, template, fields) -> {
            notified.add(channel + ": " + fields.get("title"));
            return notified.size();
        };
        runbooks = new Runbooks(
                store,
                config::runbooks,
                bp.runbooks()::get,
                CheckTypes.standard(),
                checks::get,
                notifier,
                events::add,
                Clock.systemUTC(),
                serverEnv);
    }

    /** Problems of loading {@code yaml}, as "line:col: message". */
    static List<String> problems(Path dir, String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), yaml);
        List<Problem> problems = List.of();
        try {
            new Compiler(new ConfigLoader(new YamlReader(name -> "x")))
                    .load(file)
                    .close();
        } catch (ConfigException e) {
            problems = e.problems();
        }
        List<String> out = new ArrayList<>();
        for (Problem p : problems) {
            out.add(p.position().line() + ":" + p.position().column() + ": " + p.message());
        }
        return out;
    }

    /** Waits until the run has ended (or waits for an approval when {@code untilWaiting}). */
    Run await(String runId, Run.Status... wanted) throws InterruptedException {
        long end = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < end) {
            Run r = runbooks.find(runId).orElseThrow();
            for (Run.Status s : wanted) if (r.status() == s) return r;
            if (wanted.length == 0 && !r.status().active()) return r;
            Thread.sleep(20);
        }
        throw new AssertionError("run " + runId + " is still "
                + runbooks.find(runId).orElseThrow().status());
    }

    StepRun step(String runId, String stepId) {
        return runbooks.steps(runId).stream()
                .filter(s -> s.stepId().equals(stepId))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no step " + stepId + " in " + runbooks.steps(runId)));
    }

    @Override
    public void close() {
        runbooks.close();
        checks.values().forEach(CompiledCheck::close);
        store.close();
        backend.close();
    }
}
