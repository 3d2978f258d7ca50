package dev.opsdeck.gate;

import dev.opsdeck.auth.ApiKeys;
import dev.opsdeck.auth.Permission;
import dev.opsdeck.auth.Principal;
import dev.opsdeck.auth.Sessions;
import dev.opsdeck.config.AuthConfig;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Every matched request passes here before its handler: find the route's declared permission
 * (none declared: refused), find who is asking (API key or dashboard session), and check role,
 * CSRF token and a pending forced password change. Pages redirect to the login form; the API
 * answers 401/403 problems.
 */
public final class Gate {
    public static final String SESSION_COOKIE = "opsdeck_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CSRF_FIELD = "_csrf";
    /** Where a user with a bootstrap or reset password is sent, and what they may still reach. */
    public static final String PASSWORD_PAGE = "/account/password";

    private static final Set<String> ALLOWED_BEFORE_PASSWORD_CHANGE = Set.of(PASSWORD_PAGE, "/logout", "/api/v1/me");

    private final Sessions sessions;
    private final ApiKeys apiKeys;
    private final AuthConfig auth;
    private final BiPredicate<Context, String> admitKey;

    /**
     * {@code admitKey} takes one request from an API key's rate budget; when it is spent it answers 429
     * (with the real Retry-After), ends the request and returns false.
     */
    public Gate(Sessions sessions, ApiKeys apiKeys, AuthConfig auth, BiPredicate<Context, String> admitKey) {
        this.sessions = sessions;
        this.apiKeys = apiKeys;
        this.auth = auth;
        this.admitKey = admitKey;
    }

    public void register(JavalinConfig config) {
        Refusal.register(config);
        config.routes.beforeMatched(this::check);
    }

    void check(Context ctx) {
        Permission needed = permissionOf(ctx.routeRoles());
        if (needed == null) {
            // fail closed: a route registered without SecuredRoutes is a bug, never an open door
            throw new Refusal(500, "Internal Server Error", "this route declares no permission", Map.of());
        }
        if (needed == Permission.ANONYMOUS
                || needed == Permission.INTAKE_TOKEN
                || (needed == Permission.METRICS && auth.publicMetrics())) {
            return;
        }
        Principal who = authenticate(ctx);
        ctx.attribute(Requests.PRINCIPAL, who);
        if (who.kind() == Principal.Kind.API_KEY && !admitKey.test(ctx, who.keyId())) {
            return; // answered 429
        }
        if (who.anonymous()) {
            if (wantsPage(ctx)) throw Refusal.redirect("/login?next=" + encode(target(ctx)));
            throw Refusal.unauthenticated("sign in, or send an API key as 'Authorization: Bearer <key>'");
        }
        if (who.mustChangePassword() && !ALLOWED_BEFORE_PASSWORD_CHANGE.contains(ctx.path())) {
            if (wantsPage(ctx)) throw Refusal.redirect(PASSWORD_PAGE);
            throw Refusal.forbidden("change your password first (" + PASSWORD_PAGE + ")");
        }
        if (!who.may(needed)) {
            throw Refusal.forbidden("this needs the " + needed.minimum().label() + " role; " + who.actor() + " has "
                    + who.role().label());
        }
        if (Requests.session(ctx) != null && mutating(ctx.method())) {
            checkCsrf(ctx, Requests.session(ctx));
        }
    }

    private Principal authenticate(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw Refusal.unauthenticated("only 'Authorization: Bearer <API key>' is accepted");
            }
            Optional<Principal> key =
                    apiKeys.authenticate(authorization.substring(7).strip(), Requests.client(ctx));
            if (key.isEmpty()) throw Refusal.unauthenticated("the API key is unknown, revoked or expired");
            return key.get();
        }
        String token = ctx.cookie(SESSION_COOKIE);
        if (token == null) return Principal.ANONYMOUS;
        Optional<Sessions.Session> session = sessions.find(token);
        if (session.isEmpty()) return Principal.ANONYMOUS;
        Sessions.Session s = session.get();
        ctx.attribute(Requests.SESSION, s);
        return new Principal(s.user(), s.role(), Principal.Kind.USER, null, s.mustChangePassword());
    }

    private static void checkCsrf(Context ctx, Sessions.Session s) {
        String sent = ctx.header(CSRF_HEADER);
        if (sent == null && isForm(ctx)) sent = ctx.formParam(CSRF_FIELD);
        if (sent == null
                || !MessageDigest.isEqual(
                        sent.getBytes(StandardCharsets.UTF_8), s.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            throw Refusal.forbidden("missing or wrong CSRF token; reload the page and try again");
        }
    }

    /** The permission among a route's roles; null when it declares none. */
    public static Permission permissionOf(Set<RouteRole> roles) {
        return roles.stream()
                .filter(Requires.class::isInstance)
                .map(r -> ((Requires) r).permission())
                .findFirst()
                .orElse(null);
    }

    static boolean mutating(HandlerType method) {
        return method == HandlerType.POST
                || method == HandlerType.PUT
                || method == HandlerType.PATCH
                || method == HandlerType.DELETE;
    }

    private static boolean isForm(Context ctx) {
        String type = ctx.contentType();
        return type != null
                && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data"));
    }

    /** A browser navigating (GET of a page, not the API, not an htmx fragment) is sent to the login form. */
    private static boolean wantsPage(Context ctx) {
        return ctx.method() == HandlerType.GET
                && !ctx.path().startsWith("/api/")
                && ctx.header("HX-Request") == null
                && !ctx.path().equals("/events")
                && !ctx.path().equals("/metrics");
    }

    private static String target(Context ctx) {
        return ctx.queryString() == null ? ctx.path() : ctx.path() + "?" + ctx.queryString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
