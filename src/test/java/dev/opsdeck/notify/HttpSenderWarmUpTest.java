package dev.opsdeck.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpSenderWarmUpTest {
    @Test
    void theWarmUpMakesOneRealGetAndNoPost() throws Exception {
        BlockingQueue<String> requests = new LinkedBlockingQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            new HttpSender(Clock.systemUTC())
                    .warmUp(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health"));
            assertThat(requests.poll(10, TimeUnit.SECONDS)).isEqualTo("GET /health");
            assertThat(requests.poll(300, TimeUnit.MILLISECONDS))
                    .as("nothing else, no page")
                    .isNull();
        } finally {
            server.stop(0);
        }
    }
}
