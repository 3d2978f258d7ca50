package dev.opsdeck.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.server.OpsdeckServer;
import dev.opsdeck.server.StartRefused;
import dev.opsdeck.server.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap admin's first sign-in, forced password change, CSRF, lockout and sign-out, over real HTTP. */
class SignInTest {
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @TempDir
    Path dir;

    TestServer server;
    Path data;

    @BeforeEach
    void start() throws Exception {
        data = dir.resolve("data");
        server = new TestServer(Files.writeString(
                dir.resolve("opsdeck.yaml"),
                "server: { data_dir: \"" + data + "\" }\nauth: { lockout: { max_failures: 3 } }\n"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void bootstrapPasswordSignsInOnceThenMustBeChangedAndIsForgotten() throws Exception {
        Path file = data.resolve("initial-admin-password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                .isEqualTo("rwx------");
        String initial = Files.readString(file).strip();

        HttpResponse<String> anonymous = send("GET", "/services/x?window=1h", null, null, null);
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location")).hasValue("/login?next=%2Fservices%2Fx%3Fwindow%3D1h");

        HttpResponse<String> wrong = login("admin", "not the password", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong user name or password.");

        HttpResponse<String> ok = login("admin", initial, null);
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location")).hasValue(Gate.PASSWORD_PAGE);
        String setCookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .startsWith(Gate.SESSION_COOKIE + "=")
                .contains("HttpOnly")
                .containsIgnoringCase("SameSite=Lax")
                .doesNotContain("Secure"); // plain HTTP here; Secure is set when the request came over HTTPS
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        // until the password is changed, everything else sends the admin back to the form
        assertThat(send("GET", "/", cookie, null, null).headers().firstValue("Location"))
                .hasValue(Gate.PASSWORD_PAGE);
        HttpResponse<String> form = send("GET", Gate.PASSWORD_PAGE, cookie, null, null);
        assertThat(form.statusCode()).isEqualTo(200);
        String csrf = csrf(form.body());
        String fresh = "a much better passphrase 2026";
        Map<String, String> change = Map.of("current", initial, "next", fresh, "confirm", fresh);

        HttpResponse<String> noToken = send("POST", Gate.PASSWORD_PAGE, cookie, form(change), null);
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("missing or wrong CSRF token");
        HttpResponse<String> forged = send("POST", Gate.PASSWORD_PAGE, cookie, form(change, "_csrf", "forged"), null);
        assertThat(forged.statusCode()).isEqualTo(403);

        HttpResponse<String> changed = send("POST", Gate.PASSWORD_PAGE, cookie, form(change, "_csrf", csrf), null);
        assertThat(changed.statusCode()).isEqualTo(303);
        assertThat(file).doesNotExist();
        String newCookie =
                changed.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(send("GET", "/", cookie, null, null).statusCode())
                .as("the old session ended")
                .isEqualTo(303);
        assertThat(send("GET", "/", newCookie, null, null).statusCode()).isEqualTo(200);
        assertThat(login("admin", initial, null).statusCode()).isEqualTo(401);

        List<String> actions =
                server
                        .server
                        .access()
                        .audit()
                        .query(new AuditLog.Filter("admin", null, null, null, null, 50, null))
                        .stream()
                        .map(e -> e.action() + ":" + e.outcome())
                        .toList();
        assertThat(actions).contains("auth.login_failed:bad credentials", "auth.login:ok", "user.password_change:ok");
        assertThat(server.server
                        .access()
                        .audit()
                        .query(new AuditLog.Filter(null, null, null, null, null, 500, null))
                        .toString())
                .doesNotContain(initial)
                .doesNotContain(fresh);

        HttpResponse<String> out = send(
                "POST",
                "/logout",
                newCookie,
                form(
                        Map.of(),
                        "_csrf",
                        csrf(send("GET", "/account", newCookie, null, null).body())),
                null);
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(send("GET", "/", newCookie, null, null).statusCode())
                .as("signed out")
                .isEqualTo(303);
    }

    @Test
    void thePasswordFormTellsEveryRuleOfThePolicyBeforeItIsSubmitted() throws Exception {
        String initial =
                Files.readString(data.resolve("initial-admin-password")).strip();
        String cookie = login("admin", initial, null)
                .headers()
                .firstValue("Set-Cookie")
                .orElseThrow()
                .split(";")[0];
        String body = send("GET", Gate.PASSWORD_PAGE, cookie, null, null).body();
        List<String> told = Pattern.compile("<li data-rule>([^<]*)</li>")
                .matcher(body)
                .results()
                .map(m -> m.group(1))
                .toList();
        assertThat(told)
                .containsExactly(
                        "at least 12 characters",
                        "at most 1024 characters",
                        "not containing your user name (admin)",
                        "not a commonly used password, nor one character repeated");
        // each rule told is the one the policy enforces: breaking it is refused with its own message
        Map<String, String> refusals = Map.of(
                "short",
                "password must be at least 12 characters",
                "x".repeat(1025) + "yz",
                "password must be at most 1024 characters",
                "my-admin-passphrase",
                "password must not contain the user name",
                "Password12345",
                "password is too common; choose a longer phrase",
                "zzzzzzzzzzzzzzzz",
                "password is too common; choose a longer phrase");
        for (var r : refusals.entrySet()) {
            String csrf =
                    csrf(send("GET", Gate.PASSWORD_PAGE, cookie, null, null).body());
            HttpResponse<String> refused = send(
                    "POST",
                    Gate.PASSWORD_PAGE,
                    cookie,
                    form(Map.of("current", initial, "next", r.getKey(), "confirm", r.getKey()), "_csrf", csrf),
                    null);
            assertThat(refused.statusCode()).as(r.getValue()).isEqualTo(400);
            assertThat(refused.body()).as(r.getKey()).contains(r.getValue() + ".");
            assertThat(Pattern.compile("<li data-rule>")
                            .matcher(refused.body())
                            .results()
                            .count())
                    .as("the rules stay on the form after a refusal")
                    .isEqualTo(4);
        }
    }

    @Test
    void aSignInFormPostedFromAnotherSiteIsRefused() throws Exception {
        String initial =
                Files.readString(data.resolve("initial-admin-password")).strip();
        HttpResponse<String> r = login("admin", initial, "https://evil.example");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void lockoutRefusesEvenTheRightPasswordAndSaysUntilWhen() throws Exception {
        String initial =
                Files.readString(data.resolve("initial-admin-password")).strip();
        for (int i = 0; i < 3; i++)
            assertThat(login("admin", "guess " + i, null).statusCode()).isEqualTo(401);
        HttpResponse<String> locked = login("admin", initial, null);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.body())
                .contains("Too many failed sign-ins")
                .containsPattern(
                        "Try again after \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC, or ask an administrator")
                .doesNotContain("UTC UTC");
        assertThat(locked.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void productionProfileRefusesToStartWithOneLinePerUnmetRequirement(@TempDir Path other) throws Exception {
        Path config = Files.writeString(
                other.resolve("opsdeck.yaml"),
                "server: { data_dir: \"" + other.resolve("data") + "\" }\nruntime: { profile: production }\n");
        assertThatThrownBy(() -> OpsdeckServer.start(config, new OpsdeckServer.Options(0, 200)))
                .isInstanceOf(StartRefused.class)
                .satisfies(e -> assertThat(e.getMessage().lines().toList())
                        .allMatch(l -> l.startsWith("production profile: ") && l.contains(" — fix: "))
                        .anyMatch(l -> l.contains("PostgreSQL"))
                        .anyMatch(l -> l.contains("allowed_subnets")));
    }

    private HttpResponse<String> login(String user, String password, String origin) throws Exception {
        return send("POST", "/login", null, form(Map.of("username", user, "password", password, "next", "/")), origin);
    }

    private HttpResponse<String> send(String method, String path, String cookie, String form, String origin)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
        if (form != null) b.header("Content-Type", "application/x-www-form-urlencoded");
        if (cookie != null) b.header("Cookie", cookie);
        if (origin != null) b.header("Origin", origin);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a CSRF field in%n%s", html).isTrue();
        return m.group(1);
    }

    private static String form(Map<String, String> fields, String... more) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        for (int i = 0; i < more.length; i += 2) all.put(more[i], more[i + 1]);
        return all.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
