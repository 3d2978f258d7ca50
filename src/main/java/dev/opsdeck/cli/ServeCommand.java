package dev.opsdeck.cli;

import dev.opsdeck.cluster.NodeRefused;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.network.TlsException;
import dev.opsdeck.server.OpsdeckServer;
import dev.opsdeck.server.StartRefused;
import dev.opsdeck.store.StoreException;
import io.javalin.util.JavalinBindException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the Opsdeck server: probes, API, dashboard, config hot reload.")
final class ServeCommand implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "PATH",
            description = "A YAML file or a directory of them.")
    Path config;

    @Option(names = "--port", paramLabel = "PORT", description = "Override server.port.")
    Integer port;

    @Override
    public Integer call() throws InterruptedException {
        return run(config, port, null);
    }

    /** Starts the server and blocks until the process is stopped; shared with {@code demo}. */
    static int run(Path config, Integer port, Consumer<OpsdeckServer> onStarted) throws InterruptedException {
        OpsdeckServer server;
        try {
            server = OpsdeckServer.start(config, new OpsdeckServer.Options(port, 1_000));
        } catch (ConfigException e) {
            return ConfigProblems.refuse(e);
        } catch (StartRefused e) {
            System.err.println("opsdeck: refusing to start with runtime.profile: production until these hold:");
            e.getMessage().lines().forEach(l -> System.err.println("  " + l));
            System.err.println("  (opsdeck doctor --config PATH lists every check; docs/production.md explains them)");
            return Main.INVALID;
        } catch (TlsException e) {
            System.err.println("opsdeck: " + e.getMessage());
            return Main.INVALID;
        } catch (NodeRefused e) {
            System.err.println("opsdeck: " + e.getMessage());
            return Main.INVALID;
        } catch (StoreException e) {
            System.err.println("opsdeck: " + e.getMessage());
            return Main.UNREACHABLE;
        } catch (RuntimeException e) {
            if (e instanceof JavalinBindException || e.getCause() instanceof BindException) {
                System.err.println("opsdeck: cannot listen on the configured port: " + e.getMessage()
                        + " (set server.port or pass --port)");
                return Main.UNREACHABLE;
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println("Opsdeck is running: dashboard " + server.url() + "/  API " + server.url() + "/api/v1");
        Path initial = server.initialPasswordFile();
        if (Files.exists(initial)) {
            System.out.println("First sign-in: user admin, password in " + initial + " (you will choose a new one)");
        }
        if (onStarted != null) onStarted.accept(server);
        stopped.await();
        return Main.OK;
    }
}
