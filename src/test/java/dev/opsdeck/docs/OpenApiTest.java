package dev.opsdeck.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.auth.Permission;
import dev.opsdeck.auth.Role;
import dev.opsdeck.server.OpsdeckServer;
import dev.opsdeck.server.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Keeps src/main/resources/openapi.yaml (served at /api/v1/openapi.yaml) in step with a real running server:
 * the routes it registers (with the permission each declares), the request fields its handlers accept, the
 * status codes and JSON fields they answer with; and with the JSON field names built in the code.
 */
class OpenApiTest {
    static final Path OPENAPI = Path.of("src", "main", "resources", "openapi.yaml");
    static final Path API = Path.of("src", "main", "java", "dev", "opsdeck", "api");
    static final Path ROUTES = API.resolve("ApiRoutes.java");
    static final Path VIEWS = API.resolve("ApiViews.java");
    static final Path ACCESS = API.resolve("AccessRoutes.java");
    static final Path API_KEYS = API.resolve("ApiKeyRoutes.java");
    static final Path AUDIT = Path.of("src", "main", "java", "dev", "opsdeck", "audit", "AuditLog.java");
    static final Path NOTIFY = Path.of("src", "main", "java", "dev", "opsdeck", "notify");
    static final Path DELIVERY = NOTIFY.resolve("Delivery.java");
    static final Path ALERT = Path.of("src", "main", "java", "dev", "opsdeck", "alert", "ActiveAlert.java");
    static final Path INCIDENT_VIEWS = API.resolve("IncidentViews.java");
    static final Path INCIDENTS = API.resolve("IncidentRoutes.java");
    static final Path INTAKE = API.resolve("IntakeRoutes.java");
    static final Path SILENCE = Path.of("src", "main", "java", "dev", "opsdeck", "silence", "Silence.java");
    static final Path RUN = Path.of("src", "main", "java", "dev", "opsdeck", "runbook", "Run.java");
    static final Path STEP_RUN = Path.of("src", "main", "java", "dev", "opsdeck", "runbook", "StepRun.java");
    static final Path RUN_VIEWS = API.resolve("RunViews.java");
    /** A key put into a JSON object; the formatter may break the line after the parenthesis. */
    private static final Pattern PUT = Pattern.compile("\\.put\\(\\s*\"([^\"]+)\"");

    private static final Set<String> METHODS =
            Set.of("get", "post", "put", "patch", "delete", "head", "options", "trace");
    /** Outside /api/ only these are API; the rest (/, /services/{name}, /login, /events, ...) is the dashboard. */
    static final Set<String> OPERATIONAL = Set.of("/health", "/ready", "/metrics");
    /** Error statuses whose body is the operation's own JSON, not a problem document. */
    static final Set<String> NOT_PROBLEMS = Set.of("GET /ready 503", "POST /api/v1/config/reload 422");

    static final Map<String, Object> BEARER = Map.of("bearerAuth", List.of());

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    static Path config;
    static TestServer server;
    static Map<String, Object> doc;
    /** "GET /api/v1/services" → declared permission, for every API route of the running server. */
    static Map<String, Permission> serverRoutes;

    @BeforeAll
    static void start() throws Exception {
        doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(OPENAPI));
        config = dir.resolve("opsdeck.yaml");
        Files.writeString(config, validConfig());
        server = new TestServer(config);
        serverRoutes = new TreeMap<>();
        for (OpsdeckServer.Route r : server.server.routes()) {
            if (r.path().startsWith("/api/") || OPERATIONAL.contains(r.path())) {
                serverRoutes.put(r.method() + " " + r.path(), r.permission());
            }
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static String validConfig() {
        return """
                server: { data_dir: "%s" }
                backups:
                  docs:
                    url: postgresql://postgres@127.0.0.1:9/none
                    destinations: { disk: { type: local, path: "%s" } }
                drills:
                  docs-drill:
                    target: docs
                    scratch: { server: "postgresql://postgres@127.0.0.1:9/postgres" }
                    min_tables: 3
                    tables: { trades: { within_percent_of_source: 10 } }
                    assertions: { enough: { query: "SELECT 1", expect: ">= 1" } }
                channels:
                  nowhere: { type: webhook, url: "http://127.0.0.1:9/hook", timeout: 2s }
                contacts:
                  alice: { email: alice@example.com, notify: [nowhere] }
                rotations:
                  primary: { members: [alice], start: 2026-01-05, overrides: [{ from: "2026-02-01T09:00", to: "2026-02-02T09:00", contact: alice }] }
                escalation_policies:
                  all: { default: true, steps: [{ rotations: [primary], channels: [nowhere] }] }
                maintenance:
                  vacuum: { services: [api], days: [sunday], at: "02:00" }
                runbooks:
                  docs-rb:
                    params: { who: { type: string, required: true, pattern: "^[a-z]+$" }, key: { type: string, secret: true } }
                    steps:
                      - { id: gate, type: approval, role: operator, timeout: 1m }
                      - { id: hello, type: shell, run: 'echo "hello $WHO"', env: { WHO: "{{params.who}}" } }
                schedules:
                  docs-check: { cron: "0 3 * * *", check: api/ping, alert: { on: [] } }
                credentials:
                  docs-key: { source: "env:OPSDECK_DOCS_NOT_SET", rotate_every: 90d, rotation_runbook: docs-rb }
                certificates:
                  sources: { closed: { tcp: "127.0.0.1:9" } }
                services:
                  api:
                    checks:
                      ping: { type: tcp, host: 127.0.0.1, port: 9, interval: 1h }
                """.formatted(dir.resolve("data"), dir.resolve("backups"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    /** "GET /api/v1/services" → the operation object, for every operation of the document. */
    static Map<String, Map<String, Object>> operations() {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        map(doc.get("paths"))
                .forEach((path, item) -> map(item).forEach((method, op) -> {
                    if (METHODS.contains(method)) out.put(method.toUpperCase(Locale.ROOT) + " " + path, map(op));
                }));
        return out;
    }

    static Map<String, Object> operation(String route) {
        Map<String, Object> op = operations().get(route);
        assertThat(op).as("operation %s in %s", route, OPENAPI).isNotNull();
        return op;
    }

    static boolean anonymous(Permission p) {
        return p == Permission.ANONYMOUS || p == Permission.INTAKE_TOKEN;
    }

    @Test
    void isOpenApi31() {
        assertThat(String.valueOf(doc.get("openapi"))).startsWith("3.1.");
        assertThat(map(doc.get("info"))).containsKeys("title", "version");
    }

    @Test
    void documentsEveryApiRouteOfTheServerAndNoOther() {
        assertThat(serverRoutes)
                .as("API routes of the running server")
                .containsKeys("GET /health", "GET /api/v1/services", "GET /api/v1/me", "GET /api/v1/audit/export")
                .doesNotContainKeys("GET /", "GET /login", "GET /events");
        assertThat(operations().keySet()).isEqualTo(serverRoutes.keySet());
    }

    @Test
    void everyOperationNamesThePermissionItsRouteDeclares() {
        Map<String, String> documented = new TreeMap<>();
        operations().forEach((route, op) -> documented.put(route, String.valueOf(op.get("x-opsdeck-permission"))));
        Map<String, String> declared = new TreeMap<>();
        serverRoutes.forEach((route, p) -> declared.put(route, String.valueOf(p).toLowerCase(Locale.ROOT)));
        assertThat(documented).isEqualTo(declared);
    }

    @Test
    void everyOperationDocumentsItsSecurity() {
        Map<String, Object> scheme =
                map(map(map(doc.get("components")).get("securitySchemes")).get("bearerAuth"));
        assertThat(scheme).containsEntry("type", "http").containsEntry("scheme", "bearer");
        assertThat(doc.get("security")).as("top-level default").isEqualTo(List.of(BEARER));
        Map<String, Object> wrong = new TreeMap<>();
        operations().forEach((route, op) -> {
            Permission p = serverRoutes.get(route);
            if (p == null) return; // reported by documentsEveryApiRouteOfTheServerAndNoOther
            Object security = op.containsKey("security") ? op.get("security") : doc.get("security");
            // metrics: anonymous while auth.public_metrics is true (the default), else an API key with read
            Object expected =
                    anonymous(p) ? List.of() : p == Permission.METRICS ? List.of(Map.of(), BEARER) : List.of(BEARER);
            if (!expected.equals(security)) wrong.put(route + " (" + p + ")", security);
        });
        assertThat(wrong)
                .as("operations whose security does not match their permission")
                .isEmpty();
    }

    @Test
    void protectedOperationsDocumentRefusalsAndOpenOnesDoNot() {
        List<String> wrong = new ArrayList<>();
        operations().forEach((route, op) -> {
            Permission p = serverRoutes.get(route);
            if (p == null) return;
            Set<String> codes = map(op.get("responses")).keySet();
            if (p == Permission.ANONYMOUS) { // intake routes (integration tokens) do answer 401
                if (codes.contains("401")) wrong.add(route + " never answers 401");
            } else {
                for (String code : List.of("401", "403", "429")) {
                    if (!codes.contains(code)) wrong.add(route + " lacks " + code);
                }
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyOperationIsComplete() {
        Set<String> operationIds = new TreeSet<>();
        operations().forEach((route, operation) -> {
            String path = route.substring(route.indexOf(' ') + 1);
            assertThat(operationIds.add(String.valueOf(operation.get("operationId"))))
                    .as("unique operationId on %s", route)
                    .isTrue();
            assertThat(operation.get("summary")).as("summary of %s", route).isNotNull();
            assertThat(map(operation.get("responses")))
                    .as("responses of %s", route)
                    .isNotEmpty();
            List<String> declared = new ArrayList<>();
            if (operation.get("parameters") instanceof List<?> list) {
                for (Object p : list) {
                    Map<String, Object> param = deref(map(p));
                    if ("path".equals(param.get("in"))) {
                        assertThat(param.get("required"))
                                .as("path parameter %s is required", param.get("name"))
                                .isEqualTo(true);
                        declared.add(String.valueOf(param.get("name")));
                    }
                }
            }
            List<String> inPath = new ArrayList<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
            while (m.find()) inPath.add(m.group(1));
            assertThat(declared).as("path parameters of %s", route).containsExactlyInAnyOrderElementsOf(inPath);
        });
    }

    @Test
    void errorResponsesAreProblemDocuments() {
        operations()
                .forEach((route, op) -> map(op.get("responses")).forEach((code, response) -> {
                    if (Integer.parseInt(code) < 400 || NOT_PROBLEMS.contains(route + " " + code)) return;
                    Map<String, Object> r = map(response);
                    if (r.containsKey("$ref")) r = resolve(String.valueOf(r.get("$ref")));
                    Map<String, Object> content = map(r.get("content"));
                    assertThat(content.keySet()).as("%s %s", route, code).containsExactly("application/problem+json");
                    assertThat(map(map(content.get("application/problem+json")).get("schema")))
                            .containsEntry("$ref", "#/components/schemas/Problem");
                }));
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(resolve(ref)).as(ref).isNotNull();
        }
    }

    /** The property names of each schema are exactly the keys the code puts into that JSON object. */
    @Test
    void schemasHaveTheFieldsTheCodeWrites() throws IOException {
        String views = Files.readString(VIEWS);
        String routes = Files.readString(ROUTES);
        String access = Files.readString(ACCESS);
        String keys = Files.readString(API_KEYS);
        String audit = Files.readString(AUDIT);
        assertProperties("Service", puts(views, "static Map<String, Object> service("));
        assertProperties("Check", puts(views, "static Map<String, Object> check("));
        assertProperties("Bucket", puts(views, "static Map<String, Object> bucket("));
        assertProperties("Result", puts(views, "static Map<String, Object> raw("));
        assertProperties("Readiness", puts(routes, "private void ready("));
        assertProperties("History", puts(routes, "private void history("));
        assertProperties("ConfigStatus", puts(routes, "private void configStatus("));
        Set<String> user = puts(access, "static Map<String, Object> user(");
        assertProperties("User", user);
        assertProperties("UserWithPassword", union(user, puts(access, "private void createUser(")));
        assertProperties("UserWithPassword", union(user, puts(access, "private void resetPassword(")));
        assertProperties("Me", puts(access, "private void me("));
        assertProperties("ReloadResult", puts(access, "private void reload("));
        Set<String> key = puts(keys, "static Map<String, Object> view(");
        assertProperties("ApiKey", key);
        assertProperties("NewApiKey", union(key, puts(keys, "private void create(")));
        assertProperties("AuditEntry", puts(audit, "public Map<String, Object> view("));
        assertProperties("Channel", channelFields());
        assertProperties("Notification", puts(Files.readString(DELIVERY), "public Map<String, Object> view("));
        assertProperties("Alert", puts(Files.readString(ALERT), "public Map<String, Object> view("));
        String incidentViews = Files.readString(INCIDENT_VIEWS);
        Set<String> incident = puts(incidentViews, "static Map<String, Object> incident(");
        assertProperties("Incident", incident);
        assertProperties("IncidentDetail", union(incident, puts(Files.readString(INCIDENTS), "private void detail(")));
        assertProperties("IncidentSla", puts(incidentViews, "static Map<String, Object> sla("));
        assertProperties("IncidentAlert", puts(incidentViews, "static Map<String, Object> alert("));
        assertProperties("TimelineEntry", puts(incidentViews, "static Map<String, Object> entry("));
        assertProperties("IncidentNotification", puts(incidentViews, "static Map<String, Object> notice("));
        assertProperties("IncidentFigure", puts(incidentViews, "static Map<String, Object> figure("));
        assertProperties("IncidentStats", puts(Files.readString(INCIDENTS), "private void stats("));
        assertProperties("Silence", puts(Files.readString(SILENCE), "public Map<String, Object> view("));
        assertProperties("Run", puts(Files.readString(RUN), "public Map<String, Object> view("));
        assertProperties("StepRun", puts(Files.readString(STEP_RUN), "public Map<String, Object> view("));
        assertProperties("RunbookEntry", puts(Files.readString(RUN_VIEWS), "static Map<String, Object> entry("));
        assertProperties("AlertmanagerIntakeResult", puts(Files.readString(INTAKE), "private void alertmanager("));
        assertProperties("EventResult", puts(Files.readString(INTAKE), "private void events("));
        String reviews = Files.readString(API.resolve("ReviewRoutes.java"));
        assertProperties("Review", puts(reviews, "private Map<String, Object> view("));
        assertProperties("ReviewSummary", puts(reviews, "private Map<String, Object> summary("));
        assertProperties("CorrectiveAction", puts(reviews, "private static Map<String, Object> actionView("));
    }

    /**
     * The fields each request body schema lists are exactly those the handler accepts: the server itself says
     * which, when sent an unknown one ({@code unknown field 'x'; known: a, b}).
     */
    @Test
    void requestBodiesHaveTheFieldsTheHandlersAccept() throws Exception {
        server.server
                .access()
                .users()
                .create("docs-body", Role.VIEWER, "a long enough password for the body test", false);
        Map<String, String> wrong = new TreeMap<>();
        int checked = 0;
        for (var e : operations().entrySet()) {
            // intake payloads are other systems' formats: fields Opsdeck does not use are ignored, not refused
            if (!e.getValue().containsKey("requestBody") || serverRoutes.get(e.getKey()) == Permission.INTAKE_TOKEN)
                continue;
            Map<String, Object> body = map(e.getValue().get("requestBody"));
            Map<String, Object> schema = deref(schemaOf(map(body.get("content")), "application/json"));
            assertThat(schema.get("additionalProperties"))
                    .as("%s refuses unknown fields", e.getKey())
                    .isEqualTo(false);
            String[] route = e.getKey().split(" ", 2);
            HttpResponse<String> r = send(
                    route[0],
                    route[1].replace("{name}", "docs-body").replace("{id}", "1").replace("{target}", "docs"),
                    "{\"no-such-field\": 1}");
            Matcher m = Pattern.compile("unknown field 'no-such-field'; known: (.*)")
                    .matcher(problemDetail(r));
            if (r.statusCode() != 400 || !m.matches()) {
                wrong.put(e.getKey(), "answered " + r.statusCode() + " " + r.body());
                continue;
            }
            Set<String> accepted = new TreeSet<>(Arrays.asList(m.group(1).split(", ")));
            Set<String> documented = new TreeSet<>(properties(schema).keySet());
            if (!accepted.equals(documented))
                wrong.put(e.getKey(), "accepts " + accepted + ", documents " + documented);
            checked++;
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).as("operations with a request body").isGreaterThanOrEqualTo(4);
    }

    /**
     * Real requests against the running server: each answers with a status its operation documents, and a body
     * that fits the schema documented for that status (no undocumented field, every required one present).
     */
    @Test
    void theServerAnswersAsDocumented() throws Exception {
        List<String> wrong = new ArrayList<>();
        Set<String> exercised = new TreeSet<>();
        Exchange x = (method, path, body, status) -> {
            HttpResponse<String> r = send(method, path, body);
            String route = routeOf(method, path);
            exercised.add(route);
            check(route, r, wrong);
            if (r.statusCode() != status)
                wrong.add(method + " " + path + ": expected " + status + ", got " + r.statusCode() + " " + r.body());
            return r;
        };
        x.send("GET", "/health", null, 200);
        x.send("GET", "/ready", null, 200);
        x.send("GET", "/metrics", null, 200);
        x.send("GET", "/api/v1/version", null, 200);
        x.send("GET", "/api/v1/openapi.yaml", null, 200);
        x.send("GET", "/api/v1/services", null, 200);
        x.send("GET", "/api/v1/services/api", null, 200);
        x.send("GET", "/api/v1/services/nope", null, 404);
        x.send("GET", "/api/v1/checks/api/ping/history?window=1h", null, 200);
        x.send("GET", "/api/v1/checks/api/ping/history?window=abc", null, 400);
        x.send("GET", "/api/v1/config/status", null, 200);
        x.send("GET", "/api/v1/alerts", null, 200);
        x.send("GET", "/api/v1/alerts?state=firing", null, 200);
        x.send("GET", "/api/v1/alerts?state=resolved", null, 400);

        x.send("GET", "/api/v1/me", null, 200);
        x.send("POST", "/api/v1/users", "{\"name\": \"docs-user\", \"role\": \"viewer\"}", 201);
        x.send(
                "POST",
                "/api/v1/users",
                "{\"name\": \"docs-user2\", \"role\": \"viewer\", \"password\": \"a long enough password 2\"}",
                201);
        x.send("POST", "/api/v1/users", "{\"name\": \"docs-user3\", \"role\": \"boss\"}", 400);
        x.send("GET", "/api/v1/users", null, 200);
        x.send("PATCH", "/api/v1/users/docs-user", "{\"role\": \"responder\", \"disabled\": true}", 200);
        x.send("PATCH", "/api/v1/users/nobody", "{}", 404);
        x.send("POST", "/api/v1/users/docs-user/password", "{}", 200);
        x.send("POST", "/api/v1/users/docs-user/password", "{\"password\": \"short\"}", 400);
        x.send("POST", "/api/v1/users/docs-user/unlock", null, 204);
        x.send("DELETE", "/api/v1/users/docs-user2", null, 204);
        x.send("DELETE", "/api/v1/users/admin", null, 400);

        JsonNode key = JSON.readTree(x.send(
                        "POST",
                        "/api/v1/apikeys",
                        "{\"name\": \"docs\", \"role\": \"viewer\", \"expires_in\": \"90d\"}",
                        201)
                .body());
        x.send("POST", "/api/v1/apikeys", "{\"name\": \"docs\", \"role\": \"viewer\", \"expires_in\": \"soon\"}", 400);
        x.send("GET", "/api/v1/apikeys", null, 200);
        x.send("GET", "/api/v1/apikeys?all=true", null, 200);
        x.send("GET", "/api/v1/apikeys/unused", null, 200);
        x.send("DELETE", "/api/v1/apikeys/" + key.path("id").asText(), null, 204);
        x.send("DELETE", "/api/v1/apikeys/00000000", null, 404);

        x.send("GET", "/api/v1/channels", null, 200);
        x.send("POST", "/api/v1/channels/nowhere/test", null, 200);
        x.send("POST", "/api/v1/channels/nope/test", null, 404);
        x.send("GET", "/api/v1/notifications?status=pending&channel=nowhere&limit=5", null, 200);
        x.send("GET", "/api/v1/notifications?status=lost", null, 400);

        var alert = new AlertEvent(
                "docs-incident",
                "rule",
                "Down",
                AlertEvent.State.FIRING,
                AlertEvent.Severity.P2,
                "docs",
                "docs",
                List.of(),
                false,
                Map.of(),
                "docs is down",
                null,
                "RB-001",
                Instant.now(),
                null);
        long incident =
                server.server.incidents().acceptAll(List.of(alert), "docs").getFirst();
        x.send("GET", "/api/v1/incidents?state=open&severity=P2&service=docs&limit=5", null, 200);
        x.send("GET", "/api/v1/incidents?state=sleeping", null, 400);
        x.send("GET", "/api/v1/incidents/" + incident, null, 200);
        x.send("GET", "/api/v1/incidents/999999", null, 404);
        x.send("GET", "/api/v1/incidents/stats?window=7d", null, 200);
        x.send("GET", "/api/v1/incidents/stats?window=always", null, 400);
        x.send("POST", "/api/v1/incidents/" + incident + "/ack", null, 200);
        x.send("POST", "/api/v1/incidents/" + incident + "/ack", null, 409);
        x.send("POST", "/api/v1/incidents/999999/ack", null, 404);
        x.send("POST", "/api/v1/incidents/" + incident + "/notes", "{\"text\": \"restarted <b>it</b>\"}", 201);
        x.send("POST", "/api/v1/incidents/" + incident + "/notes", "{}", 400);
        x.send("POST", "/api/v1/incidents/999999/notes", "{\"text\": \"x\"}", 404);
        x.send("POST", "/api/v1/incidents/" + incident + "/assign", "{\"user\": \"admin\"}", 200);
        x.send("POST", "/api/v1/incidents/" + incident + "/assign", "{\"user\": \"nobody\"}", 400);
        x.send("POST", "/api/v1/incidents/999999/assign", "{}", 404);
        x.send("POST", "/api/v1/incidents/" + incident + "/resolve", null, 200);
        x.send("POST", "/api/v1/incidents/" + incident + "/resolve", null, 409);
        x.send("POST", "/api/v1/incidents/999999/resolve", null, 404);
        x.send("POST", "/api/v1/incidents/" + incident + "/reopen", null, 200);
        x.send("POST", "/api/v1/incidents/" + incident + "/reopen", null, 409);
        x.send("POST", "/api/v1/incidents/999999/reopen", null, 404);
        x.send("GET", "/api/v1/incidents/" + incident, null, 200);
        x.send("PUT", "/api/v1/incidents/" + incident + "/review", "{\"root_cause\": \"x\"}", 409); // reopened
        x.send("POST", "/api/v1/incidents/" + incident + "/resolve", null, 200);
        x.send("GET", "/api/v1/incidents/" + incident + "/review", null, 200);
        x.send("GET", "/api/v1/incidents/999999/review", null, 404);
        x.send("POST", "/api/v1/incidents/" + incident + "/review/complete", null, 409);
        x.send(
                "PUT",
                "/api/v1/incidents/" + incident + "/review",
                "{\"root_cause\": \"x\", \"actions\":"
                        + " [{\"description\": \"y\", \"owner\": \"admin\", \"due\": \"2026-12-31\"}]}",
                200);
        x.send("PUT", "/api/v1/incidents/" + incident + "/review", "{\"actions\": [{\"due\": \"soon\"}]}", 400);
        x.send("PUT", "/api/v1/incidents/999999/review", "{}", 404);
        x.send("POST", "/api/v1/incidents/" + incident + "/review/complete", null, 400);
        x.send(
                "PUT",
                "/api/v1/incidents/" + incident + "/review",
                "{\"root_cause\": \"a\", \"impact\": \"b\","
                        + " \"remediation\": \"c\", \"detection_gap\": \"d\", \"runbook_improvements\": \"none\"}",
                200);
        x.send("POST", "/api/v1/incidents/" + incident + "/review/complete", null, 200);
        x.send("POST", "/api/v1/incidents/999999/review/complete", null, 404);
        x.send("GET", "/api/v1/incidents/" + incident + "/review/markdown", null, 200);
        x.send("GET", "/api/v1/incidents/999999/review/markdown", null, 404);
        x.send("GET", "/api/v1/reviews?show=all", null, 200);
        x.send("GET", "/api/v1/reviews?show=late", null, 400);
        String silence = "{\"matchers\": [{\"name\": \"service\", \"op\": \"=~\", \"value\": \"docs.*\"}],"
                + " \"duration\": \"1h\", \"comment\": \"docs\"}";
        long silenceId = JSON.readTree(
                        x.send("POST", "/api/v1/silences", silence, 201).body())
                .path("id")
                .asLong();
        x.send("POST", "/api/v1/silences", silence.replace("docs.*", "docs("), 400);
        x.send("GET", "/api/v1/silences?state=active", null, 200);
        x.send("GET", "/api/v1/silences?state=sleeping", null, 400);
        x.send("DELETE", "/api/v1/silences/" + silenceId, null, 200);
        x.send("DELETE", "/api/v1/silences/999999", null, 404);
        x.send("GET", "/api/v1/silences", null, 200);
        x.send("GET", "/api/v1/oncall", null, 200);
        x.send("GET", "/api/v1/contacts", null, 200);
        x.send("GET", "/api/v1/rotations", null, 200);
        x.send("GET", "/api/v1/escalation-policies", null, 200);
        String window = "{\"services\": [\"api\"], \"duration\": \"1h\", \"comment\": \"docs\"}";
        long windowId = JSON.readTree(
                        x.send("POST", "/api/v1/maintenance", window, 201).body())
                .path("id")
                .asLong();
        x.send("POST", "/api/v1/maintenance", window.replace("api", "nope"), 400);
        x.send("GET", "/api/v1/maintenance?state=active", null, 200);
        x.send("GET", "/api/v1/maintenance?state=sleeping", null, 400);
        x.send(
                "PATCH",
                "/api/v1/maintenance/" + windowId,
                "{\"comment\": \"docs, longer\", \"services\": [\"api\"]}",
                200);
        x.send("PATCH", "/api/v1/maintenance/" + windowId, "{\"ends_at\": \"2000-01-01T00:00:00Z\"}", 400);
        x.send("PATCH", "/api/v1/maintenance/999999", "{}", 404);
        x.send("DELETE", "/api/v1/maintenance/" + windowId, null, 200);
        x.send("DELETE", "/api/v1/maintenance/999999", null, 404);
        x.send("GET", "/api/v1/maintenance", null, 200);
        x.send("POST", "/api/v1/intake/alertmanager", "{}", 401);
        x.send("POST", "/api/v1/intake/events", "{}", 401);

        // backups: the target's database is unreachable, so the backup fails, and what is refused can be seen
        long backupId = JSON.readTree(
                        x.send("POST", "/api/v1/backups/docs", null, 202).body())
                .path("id")
                .asLong();
        for (int i = 0; i < 200 && server.server.backups().progress(backupId) != null; i++) Thread.sleep(25);
        x.send("GET", "/api/v1/backups", null, 200);
        x.send("GET", "/api/v1/backups/docs?limit=5", null, 200);
        x.send("GET", "/api/v1/backups/docs?limit=0", null, 400);
        x.send("GET", "/api/v1/backups/nope", null, 404);
        x.send("POST", "/api/v1/backups/nope", null, 404);
        x.send("GET", "/api/v1/backups/docs/" + backupId, null, 200);
        x.send("GET", "/api/v1/backups/docs/999999", null, 404);
        x.send("GET", "/api/v1/backups/docs/retention", null, 200);
        x.send("POST", "/api/v1/backups/docs/retention", null, 200);
        String job = JSON.readTree(x.send("POST", "/api/v1/backups/docs/" + backupId + "/verify", null, 202)
                        .body())
                .path("id")
                .asText();
        x.send("GET", "/api/v1/backup-jobs/" + job, null, 200);
        x.send("GET", "/api/v1/backup-jobs/nope", null, 404);
        // drills: the target has no verified backup, so a run fails at once, recorded with its reason
        long drillRun = JSON.readTree(x.send("POST", "/api/v1/drills/docs-drill/runs", null, 202)
                        .body())
                .path("id")
                .asLong();
        for (int i = 0; i < 200 && server.server.drills().get(drillRun).status().equals("running"); i++)
            Thread.sleep(25);
        x.send("GET", "/api/v1/drills", null, 200);
        x.send("GET", "/api/v1/drills/docs-drill?limit=5", null, 200);
        x.send("GET", "/api/v1/drills/docs-drill?limit=0", null, 400);
        x.send("GET", "/api/v1/drills/nope", null, 404);
        x.send("POST", "/api/v1/drills/nope/runs", null, 404);
        x.send("GET", "/api/v1/drill-runs/" + drillRun, null, 200);
        x.send("GET", "/api/v1/drill-runs/999999", null, 404);
        x.send("POST", "/api/v1/backups/docs/999999/verify", null, 404);
        x.send(
                "POST",
                "/api/v1/backups/docs/" + backupId + "/restore",
                "{\"url\": \"postgresql://postgres@127.0.0.1:9/x\"}",
                409);
        x.send("POST", "/api/v1/backups/docs/" + backupId + "/restore", "{}", 400);

        // schedules: run one now (its check fails: nothing listens on port 9), then read it back with its runs
        x.send("GET", "/api/v1/schedules", null, 200);
        x.send("POST", "/api/v1/schedules/docs-check/run", null, 202);
        assertThat(server.server.scheduler().awaitIdle(Duration.ofSeconds(10))).isTrue();
        x.send("GET", "/api/v1/schedules/docs-check?limit=5", null, 200);
        x.send("GET", "/api/v1/schedules/docs-check?limit=0", null, 400);
        x.send("GET", "/api/v1/schedules/nope", null, 404);
        x.send("POST", "/api/v1/schedules/nope/run", null, 404);

        // the inventory: a credential whose variable is not set, a certificate source nothing listens on
        x.send("POST", "/api/v1/credentials/refresh", null, 200);
        x.send("GET", "/api/v1/credentials", null, 200);
        x.send("GET", "/api/v1/credentials/docs-key", null, 200);
        x.send("GET", "/api/v1/credentials/nope", null, 404);
        x.send("POST", "/api/v1/certificates/refresh", null, 200);
        x.send("GET", "/api/v1/certificates", null, 200);
        x.send("GET", "/api/v1/certificates?source=closed", null, 200);
        x.send("GET", "/api/v1/certificates?source=nope", null, 404);

        x.send("POST", "/api/v1/config/reload", null, 200);
        Files.writeString(config, validConfig() + "      broken: { type: tcp }\n");
        x.send("POST", "/api/v1/config/reload", null, 422);
        Files.writeString(config, validConfig());
        x.send("POST", "/api/v1/config/reload", null, 200);

        JsonNode page = JSON.readTree(
                x.send("GET", "/api/v1/audit?action=user.&limit=5", null, 200).body());
        assertThat(page.path("entries").size()).as("audit entries on a page").isBetween(1, 5);
        x.send(
                "GET",
                "/api/v1/audit?since=2026-01-01T00:00:00Z&before="
                        + page.path("entries").get(0).path("id").asLong(),
                null,
                200);
        x.send("GET", "/api/v1/audit?since=yesterday", null, 400);
        x.send("GET", "/api/v1/audit/export?action=apikey.", null, 200);
        x.send("GET", "/api/v1/audit/export?limit=0", null, 400);

        x.send("GET", "/api/v1/runbooks", null, 200);
        x.send("GET", "/api/v1/runbooks/docs-rb", null, 200);
        x.send("GET", "/api/v1/runbooks/nope", null, 404);
        x.send("POST", "/api/v1/runbooks/docs-rb/runs", "{\"params\": {\"who\": \"docs\"}, \"dry_run\": true}", 200);
        x.send("POST", "/api/v1/runbooks/docs-rb/runs", "{\"params\": {\"who\": \"Docs; rm\"}}", 400);
        x.send("POST", "/api/v1/runbooks/nope/runs", "{}", 404);
        String run = JSON.readTree(x.send(
                                "POST",
                                "/api/v1/runbooks/docs-rb/runs",
                                "{\"params\": {\"who\": \"docs\", \"key\": \"s3cret\"}}",
                                201)
                        .body())
                .path("id")
                .asText();
        x.send("POST", "/api/v1/runbooks/docs-rb/runs", "{\"params\": {\"who\": \"docs\"}}", 409);
        TestServer.awaitHttp(
                () -> JSON.readTree(send("GET", "/api/v1/runs/" + run, null).body())
                        .path("pending_approval")
                        .isObject(),
                "the approval");
        x.send("GET", "/api/v1/runs/" + run, null, 200);
        x.send("GET", "/api/v1/runs/nope", null, 404);
        x.send("GET", "/api/v1/runs?runbook=docs-rb&limit=5", null, 200);
        x.send("GET", "/api/v1/runs?limit=0", null, 400);
        x.send("POST", "/api/v1/runs/" + run + "/approve", "{\"reason\": 5}", 400);
        x.send("POST", "/api/v1/runs/" + run + "/approve", "{\"reason\": \"looks right\"}", 200);
        x.send("POST", "/api/v1/runs/" + run + "/approve", null, 409);
        TestServer.awaitHttp(
                () -> JSON.readTree(send("GET", "/api/v1/runs/" + run, null).body())
                        .path("status")
                        .asText()
                        .equals("succeeded"),
                "the run");
        x.send("GET", "/api/v1/runs/" + run + "/steps/2/output", null, 200);
        x.send("GET", "/api/v1/runs/" + run + "/steps/99/output", null, 404);
        // the stream itself (200, text/event-stream) is exercised in RunEventsTest
        x.send("GET", "/api/v1/runs/" + run + "/events", null, 406);
        x.send("GET", "/api/v1/runs/" + run + "/events?after=half", null, 400);
        x.send("GET", "/api/v1/runs/nope/events", null, 404);
        x.send("POST", "/api/v1/runs/" + run + "/cancel", null, 409);
        x.send("POST", "/api/v1/runs/nope/cancel", null, 404);
        x.send("POST", "/api/v1/runs/" + run + "/resume", "{}", 409);
        x.send("POST", "/api/v1/runs/" + run + "/resume", "{\"from\": \"middle\"}", 400);
        String second = JSON.readTree(
                        x.send("POST", "/api/v1/runbooks/docs-rb/runs", "{\"params\": {\"who\": \"docs\"}}", 201)
                                .body())
                .path("id")
                .asText();
        TestServer.awaitHttp(
                () -> JSON.readTree(send("GET", "/api/v1/runs/" + second, null).body())
                        .path("pending_approval")
                        .isObject(),
                "the approval");
        x.send("POST", "/api/v1/runs/" + second + "/reject", "{\"reason\": \"not now\"}", 200);
        x.send("POST", "/api/v1/runs/nope/reject", null, 404);
        x.send("POST", "/api/v1/runs/nope/approve", null, 404);
        TestServer.awaitHttp(
                () -> JSON.readTree(send("GET", "/api/v1/runs/" + second, null).body())
                        .path("status")
                        .asText()
                        .equals("failed"),
                "the rejection");
        x.send("POST", "/api/v1/runs/" + second + "/resume", "{\"from\": \"start\"}", 200);
        x.send("POST", "/api/v1/runs/nope/resume", "{}", 404);
        x.send("POST", "/api/v1/runs/" + second + "/cancel", null, 200);

        // checklists: this configuration has none (ChecklistApiTest runs them)
        x.send("GET", "/api/v1/checklists", null, 200);
        x.send("GET", "/api/v1/checklists/nope", null, 404);
        x.send("GET", "/api/v1/checklists/nope/runs", null, 404);
        x.send("GET", "/api/v1/checklists/nope/export?format=md", null, 404);
        x.send("GET", "/api/v1/checklists/nope/items/x/history", null, 404);
        x.send("POST", "/api/v1/checklists/nope/run", null, 404);
        x.send("POST", "/api/v1/checklists/nope/items/x/attest", "{\"note\": \"n\"}", 404);
        x.send("POST", "/api/v1/checklists/nope/items/x/waivers", "{\"reason\": \"r\", \"expires\": \"1d\"}", 404);
        x.send("POST", "/api/v1/checklists/nope/waivers/x/approve", null, 404);

        // the cluster: this one node
        x.send("GET", "/api/v1/cluster", null, 200);

        // deploys: api has no deploy: section (DeployApiTest runs deploys); a CI tool records one
        String ci = "{\"external_id\": \"ci-1\", \"service\": \"api\", \"version\": \"v1.4.0\", "
                + "\"state\": \"succeeded\", \"started_at\": \"2026-12-07T20:10:00Z\", "
                + "\"finished_at\": \"2026-12-07T20:12:30Z\", \"commit_at\": \"2026-12-07T18:02:00Z\"}";
        String deployId = JSON.readTree(
                        x.send("POST", "/api/v1/deploys", ci, 201).body())
                .get("id")
                .asText();
        x.send("POST", "/api/v1/deploys", ci, 200);
        x.send("POST", "/api/v1/deploys", "{\"service\": \"api\"}", 400);
        x.send("GET", "/api/v1/deploys?service=api", null, 200);
        x.send("GET", "/api/v1/deploys?state=bogus", null, 400);
        x.send("GET", "/api/v1/deploys/dora?service=api&days=7", null, 200);
        x.send("GET", "/api/v1/deploys/dora?days=0", null, 400);
        x.send("GET", "/api/v1/deploys/" + deployId, null, 200);
        x.send("GET", "/api/v1/deploys/nope", null, 404);
        // the stream itself (200, text/event-stream) is exercised in DeployFormsTest
        x.send("GET", "/api/v1/deploys/" + deployId + "/events", null, 406);
        x.send("GET", "/api/v1/deploys/" + deployId + "/events?after=half", null, 400);
        x.send("GET", "/api/v1/deploys/nope/events", null, 404);
        x.send("POST", "/api/v1/deploys/" + deployId + "/cancel", null, 409);
        x.send("POST", "/api/v1/deploys/nope/approve", null, 404);
        x.send("GET", "/api/v1/services/api/versions", null, 404);
        x.send("POST", "/api/v1/services/api/deploys", "{\"version\": \"v2\"}", 404);
        x.send("POST", "/api/v1/services/api/rollback", null, 404);

        assertThat(wrong).isEmpty();
        assertThat(exercised).as("operations exercised").isEqualTo(operations().keySet());
    }

    /** The response's status is documented for its operation, and its body fits the documented schema. */
    private static void check(String route, HttpResponse<String> r, List<String> wrong) throws IOException {
        Map<String, Object> responses = map(operation(route).get("responses"));
        Object documented = responses.get(String.valueOf(r.statusCode()));
        if (documented == null) {
            wrong.add(route + ": status " + r.statusCode() + " is not documented; body " + r.body());
            return;
        }
        Map<String, Object> response = map(documented);
        if (response.containsKey("$ref")) response = resolve(String.valueOf(response.get("$ref")));
        if (!response.containsKey("content")) {
            if (!r.body().isEmpty())
                wrong.add(route + " " + r.statusCode() + ": documented without body, got " + r.body());
            return;
        }
        Map<String, Object> content = map(response.get("content"));
        String type = r.headers().firstValue("Content-Type").orElse("");
        String mediaType = content.keySet().stream()
                .filter(t -> type.startsWith(t.split(";")[0]))
                .findFirst()
                .orElse(null);
        if (mediaType == null) {
            wrong.add(route + " " + r.statusCode() + ": Content-Type " + type + " is not among " + content.keySet());
            return;
        }
        Map<String, Object> schema = schemaOf(content, mediaType);
        if (mediaType.equals("application/jsonl")) {
            for (String line : r.body().lines().toList()) conform(JSON.readTree(line), schema, route + " line", wrong);
        } else if (mediaType.contains("json")) {
            conform(JSON.readTree(r.body()), schema, route + " " + r.statusCode(), wrong);
        }
    }

    /** A small JSON Schema check: types, const, enum, properties (closed), required, items, allOf, oneOf. */
    private static void conform(JsonNode node, Map<String, Object> schemaOrRef, String where, List<String> wrong) {
        Map<String, Object> schema = deref(schemaOrRef);
        if (schema.get("oneOf") instanceof List<?> alternatives) {
            boolean any = false;
            for (Object alternative : alternatives) {
                List<String> errors = new ArrayList<>();
                conform(node, map(alternative), where, errors);
                any |= errors.isEmpty();
            }
            if (!any) wrong.add(where + ": " + node + " fits none of " + alternatives);
            return;
        }
        Object type = schema.get("type");
        if (type != null) {
            List<?> types = type instanceof List<?> l ? l : List.of(type);
            if (types.stream().noneMatch(t -> hasType(node, String.valueOf(t)))) {
                wrong.add(where + ": " + node + " is not of type " + type);
                return;
            }
        }
        if (schema.containsKey("const") && !String.valueOf(schema.get("const")).equals(node.asText())) {
            wrong.add(where + ": " + node + " is not " + schema.get("const"));
        }
        if (schema.get("enum") instanceof List<?> values
                && values.stream().map(String::valueOf).noneMatch(node.asText()::equals)) {
            wrong.add(where + ": " + node + " is not one of " + values);
        }
        Map<String, Object> properties = properties(schema);
        if (node.isObject() && !properties.isEmpty()) {
            for (var it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!properties.containsKey(field)) wrong.add(where + ": field '" + field + "' is not documented");
                else conform(node.get(field), map(properties.get(field)), where + "." + field, wrong);
            }
            for (String field : required(schema)) {
                if (!node.has(field)) wrong.add(where + ": required field '" + field + "' is missing");
            }
        } else if (node.isObject() && schema.get("additionalProperties") instanceof Map<?, ?> values) {
            node.properties().forEach(e -> conform(e.getValue(), map(values), where + "." + e.getKey(), wrong));
        }
        if (node.isArray() && schema.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < node.size(); i++) conform(node.get(i), map(items), where + "[" + i + "]", wrong);
        }
    }

    private static boolean hasType(JsonNode node, String type) {
        return switch (type) {
            case "object" -> node.isObject();
            case "array" -> node.isArray();
            case "string" -> node.isTextual();
            case "integer" -> node.isIntegralNumber();
            case "number" -> node.isNumber();
            case "boolean" -> node.isBoolean();
            case "null" -> node.isNull();
            default -> throw new AssertionError("unknown type " + type);
        };
    }

    private static Map<String, Object> deref(Map<String, Object> schema) {
        return schema.containsKey("$ref") ? resolve(String.valueOf(schema.get("$ref"))) : schema;
    }

    /** A schema's properties, its allOf parts' included. */
    static Map<String, Object> properties(Map<String, Object> schemaOrRef) {
        Map<String, Object> schema = deref(schemaOrRef);
        Map<String, Object> out = new LinkedHashMap<>();
        if (schema.get("allOf") instanceof List<?> parts) parts.forEach(p -> out.putAll(properties(map(p))));
        if (schema.get("properties") != null) out.putAll(map(schema.get("properties")));
        return out;
    }

    static Set<String> required(Map<String, Object> schemaOrRef) {
        Map<String, Object> schema = deref(schemaOrRef);
        Set<String> out = new LinkedHashSet<>();
        if (schema.get("allOf") instanceof List<?> parts) parts.forEach(p -> out.addAll(required(map(p))));
        if (schema.get("required") instanceof List<?> list) list.forEach(f -> out.add(String.valueOf(f)));
        return out;
    }

    private static Map<String, Object> schemaOf(Map<String, Object> content, String mediaType) {
        return map(map(content.get(mediaType)).get("schema"));
    }

    /** The documented route a concrete path belongs to: "/api/v1/users/bob" → "GET /api/v1/users/{name}". */
    private static String routeOf(String method, String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        List<String> matches = operations().keySet().stream()
                .filter(route -> {
                    String[] parts = route.split(" ", 2);
                    return parts[0].equals(method) && bare.matches(parts[1].replaceAll("\\{[^}]+}", "[^/]+"));
                })
                .sorted((a, b) -> Long.compare(
                        a.chars().filter(c -> c == '{').count(),
                        b.chars().filter(c -> c == '{').count()))
                .toList();
        assertThat(matches).as("documented operation for %s %s", method, path).isNotEmpty();
        return matches.getFirst(); // a literal segment (apikeys/unused) wins over a parameter ({id})
    }

    private static String problemDetail(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body()).path("detail").asText();
        } catch (IOException e) {
            return "";
        }
    }

    private static HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + server.token);
        if (body != null) b.header("Content-Type", "application/json");
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @FunctionalInterface
    interface Exchange {
        HttpResponse<String> send(String method, String path, String body, int expectedStatus) throws Exception;
    }

    /** What a channel shows: the common fields, and what each channel type adds (every type's, together). */
    private static Set<String> channelFields() throws IOException {
        String describe = "public Map<String, Object> describe(";
        Set<String> out = puts(Files.readString(NOTIFY.resolve("Channel.java")), describe);
        try (Stream<Path> files = Files.list(NOTIFY)) {
            for (Path f : files.sorted().toList()) {
                String source = Files.readString(f);
                if (source.contains(" implements ChannelType ")) out = union(out, puts(source, describe));
            }
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    private static void assertProperties(String schema, Set<String> fields) {
        assertThat(fields).as("fields the code writes for %s", schema).isNotEmpty();
        Map<String, Object> s =
                map(map(map(doc.get("components")).get("schemas")).get(schema));
        assertThat(new TreeSet<>(properties(s).keySet()))
                .as("properties of schema %s", schema)
                .isEqualTo(fields);
        assertThat(fields).as("required properties of %s", schema).containsAll(required(s));
    }

    /** Keys of every {@code .put("key", ...)} in the method starting at {@code declaration}. */
    private static Set<String> puts(String source, String declaration) {
        int start = source.indexOf(declaration);
        assertThat(start).as("method %s", declaration).isNotNegative();
        int end = source.indexOf("\n    }\n", start);
        Set<String> out = new TreeSet<>();
        Matcher m = PUT.matcher(source.substring(start, end < 0 ? source.length() : end));
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static void collectRefs(Object node, List<String> out) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if ("$ref".equals(k)) out.add(String.valueOf(v));
                else collectRefs(v, out);
            });
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectRefs(v, out));
        }
    }

    private static Map<String, Object> resolve(String ref) {
        assertThat(ref).startsWith("#/");
        Object node = doc;
        for (String part : ref.substring(2).split("/")) {
            node = map(node).get(part.replace("~1", "/").replace("~0", "~"));
            assertThat(node).as("%s resolves", ref).isNotNull();
        }
        return map(node);
    }
}
