package dev.opsdeck.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.auth.Role;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Status;
import dev.opsdeck.runbook.Run;
import dev.opsdeck.runbook.Runbooks;
import dev.opsdeck.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's generated config loads as it is, and its runbook really brings a downed indexer back: the check step
 * sees it down, an operator other than the starter approves, the http step clears the fault, the wait sees it up.
 */
class DemoConfigTest {
    @TempDir
    Path dir;

    @Test
    void theDemoRunbookBringsTheIndexerBack() throws Exception {
        try (DemoStack stack = DemoStack.start("indexer", "api", "web")) {
            Path file = Files.writeString(
                    dir.resolve("opsdeck.yaml"),
                    DemoConfig.yaml(
                            stack.ports(),
                            stack.inbox().url(),
                            8080,
                            dir.resolve("store").toString()));
            Blueprint bp = new Compiler(new ConfigLoader(new YamlReader(Map.<String, String>of()::get))).load(file);
            assertThat(bp.config().keep().schedules()).containsKey("api-smoke-test");
            stack.fault("indexer", DemoStack.Mode.DOWN);
            try (Store store = Store.open(new StoreConfig("embedded", 4, Position.NONE), dir.resolve("store"));
                    Runbooks runbooks = new Runbooks(
                            store,
                            bp.config()::runbooks,
                            bp.runbooks()::get,
                            CheckTypes.standard(),
                            bp.checks()::get,
                            null,
                            run -> {},
                            Clock.systemUTC())) {
                Run run = runbooks.start("restart-indexer", Map.of("reason", "indexer down"), "alice", null);
                run = awaitNot(runbooks, run.id(), Run.Status.RUNNING, Run.Status.QUEUED);
                assertThat(run.status()).isEqualTo(Run.Status.WAITING_APPROVAL);
                assertThat(bp.checks().get("indexer/health").run().status()).isEqualTo(Status.DOWN);

                runbooks.approve(run.id(), new Runbooks.Actor("bob", Role.OPERATOR), true, "go");
                run = awaitNot(runbooks, run.id(), Run.Status.RUNNING, Run.Status.WAITING_APPROVAL, Run.Status.QUEUED);
                assertThat(run.status()).as(run.message()).isEqualTo(Run.Status.SUCCEEDED);
                assertThat(bp.checks().get("indexer/health").run().status()).isEqualTo(Status.UP);
            } finally {
                bp.checks().values().forEach(CompiledCheck::close);
            }
        }
    }

    private static Run awaitNot(Runbooks runbooks, String id, Run.Status... passing) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            Run run = runbooks.find(id).orElseThrow();
            if (!List.of(passing).contains(run.status()) || System.currentTimeMillis() > deadline) return run;
            Thread.sleep(100);
        }
    }
}
