package dev.opsdeck.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.auth.Permission;
import dev.opsdeck.auth.Role;
import dev.opsdeck.server.OpsdeckServer;
import dev.opsdeck.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks every route the server registers: each must declare a permission, only the known few may
 * be anonymous, and a real request with a key of each role is let through or refused exactly as
 * the declared permission says. A new endpoint is covered the moment it is registered.
 */
class RbacMatrixTest {
    /** The only routes anyone may call without credentials (the list, plus sign-in and assets). */
    static final Set<String> ANONYMOUS_ROUTES = Set.of(
            "GET /health",
            "GET /ready",
            "GET /login",
            "POST /login",
            "GET /assets/{file}",
            "POST /api/v1/intake/alertmanager",
            "POST /api/v1/intake/events");

    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    static TestServer server;
    static final Map<Role, String> KEYS = new EnumMap<>(Role.class);

    @BeforeAll
    static void start() throws Exception {
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                auth: { public_metrics: false }
                # every route times every role is more requests than one minute's default budget per address
                network: { rate_limit: { per_source: 100000/1m, per_key: 100000/1m } }
                services:
                  api:
                    checks:
                      ping: { type: tcp, host: 127.0.0.1, port: 9, interval: 1h }
                """.formatted(dir.resolve("data")));
        server = new TestServer(config);
        for (Role r : Role.values()) {
            String owner = "user-" + r.label();
            server.server
                    .access()
                    .users()
                    .create(owner, r, "a long enough password for the matrix " + r.ordinal(), false);
            KEYS.put(
                    r,
                    server.server
                            .access()
                            .apiKeys()
                            .create("matrix", owner, r, false, null)
                            .secret());
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void everyRouteDeclaresAPermission() {
        List<OpsdeckServer.Route> routes = server.server.routes();
        assertThat(routes).hasSizeGreaterThan(20);
        assertThat(routes.stream().filter(r -> r.permission() == null).map(r -> r.method() + " " + r.path()))
                .as("routes without a declared permission")
                .isEmpty();
    }

    @Test
    void onlyTheKnownRoutesAreAnonymous() {
        Set<String> anonymous = server.server.routes().stream()
                .filter(r -> r.permission() == Permission.ANONYMOUS || r.permission() == Permission.INTAKE_TOKEN)
                .map(r -> r.method() + " " + r.path())
                .collect(Collectors.toSet());
        assertThat(anonymous).isEqualTo(ANONYMOUS_ROUTES);
    }

    @Test
    void eachRoleReachesExactlyWhatItsPermissionAllows() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (OpsdeckServer.Route route : server.server.routes()) {
            if (route.permission() == Permission.ANONYMOUS || route.path().equals("/events")) continue;
            int anonymous = send(route, null);
            if (anonymous != 401 && !(anonymous == 303 && route.method().equals("GET"))) {
                wrong.add(route + " without credentials: " + anonymous);
            }
            for (Role role : Role.values()) {
                int status = send(route, KEYS.get(role));
                if (route.permission() == Permission.INTAKE_TOKEN) { // a user's API key is no integration token
                    if (status != 401) wrong.add(route + " as " + role + ": expected 401, got " + status);
                    continue;
                }
                boolean allowed = route.permission().allows(role);
                if (allowed && (status == 401 || status == 403))
                    wrong.add(route + " as " + role + ": refused with " + status);
                if (!allowed && status != 403) wrong.add(route + " as " + role + ": expected 403, got " + status);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theEventStreamIsRefusedWithoutCredentials() throws Exception {
        assertThat(send(new OpsdeckServer.Route("GET", "/events", Permission.READ), null))
                .isEqualTo(401);
    }

    /** The route with sample path parameters; mutations get an empty JSON object (handlers answer 400/404 to it). */
    static int send(OpsdeckServer.Route route, String key) throws Exception {
        String path = route.path().replaceAll("\\{[^}]+}", "nothing-here");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        route.method(),
                        route.method().equals("GET")
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json");
        if (key != null) b.header("Authorization", "Bearer " + key);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
