package dev.opsdeck.probe.types;

import static dev.opsdeck.probe.types.TestChecks.observe;
import static dev.opsdeck.probe.types.TestChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The http check's own HTTP/1.1 client against a server that sends exactly the bytes each test wants. */
class HttpWireTest {
    static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n"
            + "{\"status\":\"healthy\"}";

    @Test
    void keptAliveConnectionServesTheNextRuns() throws Exception {
        try (RawHttpServer server = new RawHttpServer(head -> new RawHttpServer.Answer(OK, false));
                CompiledCheck c = TestChecks.check("type: http\nurl: " + server.url("/health?x=1")
                        + "\nconditions: [\"[BODY].status == healthy\"]")) {
            for (int i = 0; i < 3; i++) {
                CheckResult r = c.run();
                assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
            }
            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.requests())
                    .hasSize(3)
                    .allSatisfy(head -> assertThat(head)
                            .startsWith("GET /health?x=1 HTTP/1.1\r\nHost: 127.0.0.1:")
                            .contains("\r\nUser-Agent: opsdeck\r\n")
                            .doesNotContain("Content-Length"));
        }
    }

    @Test
    void connectionTheServerClosedWhileIdleIsReplacedWithoutAFailure() throws Exception {
        try (RawHttpServer server = new RawHttpServer(head -> new RawHttpServer.Answer(OK, false));
                CompiledCheck c = TestChecks.check("type: http\nurl: " + server.url("/"))) {
            assertThat(c.run().status()).isEqualTo(Status.UP);
            server.closeConnections(); // the server's keep-alive timeout passed
            Thread.sleep(100);
            CheckResult r = c.run();
            assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void postIsNeverSentOnAKeptAliveConnection() throws Exception {
        try (RawHttpServer server = new RawHttpServer(head -> new RawHttpServer.Answer(OK, false));
                CompiledCheck c = TestChecks.check("type: http\nmethod: POST\nurl: " + server.url("/"))) {
            assertThat(c.run().status()).isEqualTo(Status.UP);
            assertThat(c.run().status()).isEqualTo(Status.UP);
            assertThat(server.connections()).isEqualTo(2);
            // a POST without body still says its length, as servers answering 411 expect
            assertThat(server.requests().getFirst()).contains("\r\nContent-Length: 0\r\n");
        }
    }

    @Test
    void chunkedBodyIsDecodedAndTheConnectionKept() throws Exception {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + "7;ext=1\r\n{\"statu\r\n"
                + "D\r\ns\":\"healthy\"}\r\n" + "0\r\nX-Trailer: t\r\n\r\n";
        try (RawHttpServer server = new RawHttpServer(head -> new RawHttpServer.Answer(chunked, false));
                CompiledCheck c = TestChecks.check(
                        "type: http\nurl: " + server.url("/") + "\nconditions: [\"[BODY].status == healthy\"]")) {
            assertThat(c.run().status()).isEqualTo(Status.UP);
            CheckResult r = c.run();
            assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void chunkedBodyIsCutAtMaxBodyAndItsConnectionDropped() throws Exception {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + "8\r\nabcdefgh\r\n"
                + "8\r\nijklmnop\r\n" + "0\r\n\r\n";
        try (RawHttpServer server = new RawHttpServer(head -> new RawHttpServer.Answer(chunked, false))) {
            String check = "type: http\nmax_body: 10B\nurl: " + server.url("/");
            Observation o = observe(check);
            assertThat(o.get("BODY")).isEqualTo("abcdefghij");
            assertThat(o.get("BODY_TRUNCATED")).isEqualTo(true);
            observe(check);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void bodyWithoutLengthEndsWhenTheServerCloses() throws Exception {
        try (RawHttpServer server = new RawHttpServer(head ->
                new RawHttpServer.Answer("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it", true))) {
            Observation o = observe("type: http\nurl: " + server.url("/"));
            assertThat(o.get("STATUS")).isEqualTo(200L);
            assertThat(o.get("BODY")).isEqualTo("all of it");
            assertThat(o.get("BODY_TRUNCATED")).isEqualTo(false);
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (RawHttpServer server = new RawHttpServer(head -> new RawHttpServer.Answer(
                        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", true));
                CompiledCheck c = TestChecks.check("type: http\nurl: " + server.url("/"))) {
            assertThat(c.run().status()).isEqualTo(Status.UP);
            assertThat(c.run().status()).isEqualTo(Status.UP);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void interimResponsesAreSkipped() throws Exception {
        try (RawHttpServer server = new RawHttpServer(
                head -> new RawHttpServer.Answer("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n" + OK, false))) {
            Observation o = observe("type: http\nurl: " + server.url("/"));
            assertThat(o.get("STATUS")).isEqualTo(200L);
            assertThat(o.get("BODY")).isEqualTo("{\"status\":\"healthy\"}");
        }
    }

    @Test
    void answerThatIsNotHttpSaysWhatArrived() throws Exception {
        try (SilentServer garbage = new SilentServer(SilentServer.Mode.GARBAGE)) {
            CheckResult r = run("type: http\ntimeout: 2s\nurl: http://127.0.0.1:" + garbage.port() + "/");
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).isEqualTo("not an HTTP/1.x response: \"HELLO this is not what you expected\"");
        }
    }

    @Test
    void serverThatHangsUpWithoutAnsweringIsReported() throws Exception {
        try (SilentServer hangUp = new SilentServer(SilentServer.Mode.CLOSE)) {
            CheckResult r = run("type: http\ntimeout: 2s\nurl: http://127.0.0.1:" + hangUp.port() + "/");
            assertThat(r.message()).isEqualTo("connection closed by peer");
        }
    }

    @Test
    void badFramingIsReported() throws Exception {
        try (RawHttpServer lengths = new RawHttpServer(head -> new RawHttpServer.Answer(
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", true));
                RawHttpServer chunks = new RawHttpServer(head -> new RawHttpServer.Answer(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", true))) {
            assertThat(run("type: http\nurl: " + lengths.url("/")).message()).isEqualTo("bad Content-Length \"2, 3\"");
            assertThat(run("type: http\nurl: " + chunks.url("/")).message())
                    .isEqualTo("malformed chunked body (chunk size \"zz\")");
        }
    }

    @Test
    void headerValuesCannotSmuggleLines() {
        assertThat(TestChecks.problems("type: http\nurl: http://x/\nheaders: {X-A: \"a\\r\\nHost: evil\"}"))
                .singleElement()
                .asString()
                .endsWith("services.x.checks.y.headers.X-A: not a valid header");
        assertThat(TestChecks.problems("type: http\nurl: http://x/\nheaders: {Transfer-Encoding: chunked}"))
                .singleElement()
                .asString()
                .contains("services.x.checks.y.headers.Transfer-Encoding: this header is set by the HTTP client");
    }

    @Test
    void poolKeepsFewConnectionsAndDropsIdleOnes() throws Exception {
        try (RawHttpServer server = new RawHttpServer(head -> new RawHttpServer.Answer(OK, false))) {
            var pool = new HttpConnectionPool(2, 3, Duration.ofMillis(200).toNanos());
            var key = new HttpConnection.Key(
                    false, "127.0.0.1", Integer.parseInt(server.url("").replaceAll(".*:", "")), false);
            for (int i = 0; i < 3; i++) pool.give(HttpConnection.open(key, new Deadline(Duration.ofSeconds(2))));
            assertThat(pool.idleCount()).isEqualTo(2); // per key
            try (HttpConnection taken = pool.take(key)) {
                assertThat(taken).isNotNull();
            }
            Thread.sleep(300);
            assertThat(pool.take(key)).isNull(); // idle too long: the server may have closed it
            assertThat(pool.idleCount()).isZero();
        }
    }
}
