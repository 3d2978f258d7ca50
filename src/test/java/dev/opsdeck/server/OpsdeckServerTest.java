package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.monitor.TcpTarget;
import dev.opsdeck.store.PrivatePostgres;
import dev.opsdeck.store.StoreException;
import io.javalin.util.JavalinBindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, readiness and failing to start, with real stores. */
class OpsdeckServerTest {
    @TempDir
    Path dir;

    Path config(String store, int port) throws Exception {
        return Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: data, port: %d }
                store: { url: "%s" }
                services:
                  api:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms }
                """.formatted(port, store, TcpTarget.closedPort()));
    }

    @Test
    void readyIs503WithTheReasonWhileThePostgresStoreIsDown() throws Exception {
        assumeTrue(PrivatePostgres.available(), "PostgreSQL 15 binaries not installed");
        try (PrivatePostgres pg = PrivatePostgres.start();
                TestServer server = new TestServer(config(pg.url(), 0))) {
            assertThat(server.get("/ready").statusCode()).isEqualTo(200);
            pg.stopServer();
            long start = System.nanoTime();
            HttpResponse<String> down = server.get("/ready");
            assertThat((System.nanoTime() - start) / 1_000_000)
                    .as("ms to answer")
                    .isLessThan(3_000);
            assertThat(down.statusCode()).isEqualTo(503);
            JsonNode body = TestServer.JSON.readTree(down.body());
            assertThat(body.path("status").asText()).isEqualTo("not ready");
            assertThat(body.path("problems").get(0).asText()).startsWith("store ");
            assertThat(server.get("/health").statusCode())
                    .as("alive, just not ready")
                    .isEqualTo(200);
            pg.startServer();
            TestServer.awaitHttp(() -> server.get("/ready").statusCode() == 200, "ready again");
        }
    }

    @Test
    void anUnreachableStoreFailsTheStartClearly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = config("postgresql://opsdeck:hunter2@127.0.0.1:" + port + "/opsdeck", 0);
        Set<String> before = opsdeckThreads();
        assertThatThrownBy(() -> OpsdeckServer.start(config, new OpsdeckServer.Options(0, 200)))
                .isInstanceOf(StoreException.class)
                .hasMessage("store unreachable (PostgreSQL at postgresql://opsdeck:***@127.0.0.1:" + port
                        + "/opsdeck): Connection refused");
        assertThat(opsdeckThreads()).isEqualTo(before);
    }

    @Test
    void aTakenPortFailsTheStartAndLeavesNothingRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path config = config("embedded", taken.getLocalPort());
            Set<String> before = opsdeckThreads();
            assertThatThrownBy(() -> OpsdeckServer.start(config, OpsdeckServer.Options.defaults()))
                    .isInstanceOf(JavalinBindException.class);
            TestServer.await(() -> opsdeckThreads().equals(before), "the engine, writer and watcher to stop");
        }
    }

    static Set<String> opsdeckThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("opsdeck-") || n.startsWith("probe-"))
                .collect(Collectors.toSet());
    }
}
