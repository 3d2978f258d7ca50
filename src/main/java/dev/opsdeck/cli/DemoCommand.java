package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.auth.Role;
import dev.opsdeck.config.Json;
import dev.opsdeck.demo.DemoConfig;
import dev.opsdeck.demo.DemoStack;
import dev.opsdeck.server.OpsdeckServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Start Opsdeck on its embedded store with a small demo stack (api, indexer, web,",
            "plus this machine's PostgreSQL and Redis when reachable) and print the dashboard URL.",
            "Inject faults from another terminal: opsdeck demo fault indexer down|slow|flap|ok"
        },
        subcommands = DemoCommand.Fault.class)
final class DemoCommand implements Callable<Integer> {
    static final Path DEMO_DIR = Path.of("data", "demo");

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "Dashboard port (default 8080).")
    int port;

    @Override
    public Integer call() throws Exception {
        Path dir = DEMO_DIR.toAbsolutePath();
        Files.createDirectories(dir);
        try (DemoStack stack = DemoStack.start("api", "indexer", "web")) {
            Path config = DemoConfig.write(dir, stack.ports(), stack.inbox().url(), port);
            Files.writeString(dir.resolve("stack.json"), Json.MAPPER.writeValueAsString(stack.ports()));
            System.out.println("Demo stack: " + stack.ports() + " (config: " + config + ")");
            return ServeCommand.run(config, port, server -> {
                Path token = cliToken(server, dir);
                System.out.println("Try: ./opsdeck demo fault indexer down   (then ok, slow, flap)");
                // the CLI defaults to port 8080: name this server's URL so the hint works with any --port
                System.out.println("CLI: export OPSDECK_URL=" + server.url() + " OPSDECK_TOKEN=$(cat "
                        + DEMO_DIR.resolve(token.getFileName()) + ")  then  ./opsdeck status");
            });
        }
    }

    /**
     * An admin API key for trying the CLI against the demo, written once to a 0600 file in the demo
     * directory (never printed: the console may be shared or recorded).
     */
    static Path cliToken(OpsdeckServer server, Path dir) {
        Path file = dir.resolve("cli-token");
        if (Files.exists(file)) return file;
        String secret = server.access()
                .apiKeys()
                .create("demo-cli", "admin", Role.ADMIN, false, null)
                .secret();
        try {
            Files.writeString(
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    secret + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    @Command(
            name = "fault",
            mixinStandardHelpOptions = true,
            description = "Change how a demo service answers: ok, down, slow (600 ms) or flap (alternating).")
    static final class Fault implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SERVICE", description = "api, indexer or web")
        String service;

        @Parameters(index = "1", paramLabel = "MODE", description = "ok, down, slow or flap")
        String mode;

        @Override
        public Integer call() throws Exception {
            try {
                DemoStack.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                System.err.println("opsdeck: unknown mode '" + mode + "'; use ok, down, slow or flap");
                return Main.INVALID;
            }
            Path state = DEMO_DIR.resolve("stack.json");
            if (!Files.exists(state)) {
                System.err.println(
                        "opsdeck: no demo is running here (missing " + state + "); start one with ./opsdeck demo");
                return Main.UNREACHABLE;
            }
            JsonNode ports = Json.MAPPER.readTree(state.toFile());
            if (!ports.has(service)) {
                System.err.println("opsdeck: no demo service '" + service + "'; use api, indexer or web");
                return Main.INVALID;
            }
            URI uri = URI.create(
                    "http://127.0.0.1:" + ports.get(service).asInt() + "/_fault/" + mode.toLowerCase(Locale.ROOT));
            try {
                HttpResponse<String> res = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(uri)
                                        .POST(HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                System.out.println(
                        service + " is now " + mode.toLowerCase(Locale.ROOT) + " (" + res.statusCode() + ")");
                return res.statusCode() == 200 ? Main.OK : Main.FAILED;
            } catch (IOException e) {
                System.err.println(
                        "opsdeck: the demo is not running (cannot reach " + uri + "); start it with ./opsdeck demo");
                return Main.UNREACHABLE;
            }
        }
    }
}
