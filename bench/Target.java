// A minimal JSON health endpoint for benchmarks, run in its own process so its CPU is not counted
// against Opsdeck: java bench/Target.java PORT [BIND_ADDRESS] (default the loopback address; 0.0.0.0 answers on all
// of 127/8, for checks that each use their own loopback address)
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

public class Target {
    public static void main(String[] args) throws Exception {
        byte[] body = "{\"status\":\"healthy\",\"lag_seconds\":1}".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(
                new InetSocketAddress(
                        args.length > 1 ? InetAddress.getByName(args[1]) : InetAddress.getLoopbackAddress(),
                        Integer.parseInt(args[0])),
                1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/health", ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }
}
