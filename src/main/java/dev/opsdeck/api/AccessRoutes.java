package dev.opsdeck.api;

import static dev.opsdeck.auth.Permission.ADMINISTER;
import static dev.opsdeck.auth.Permission.SIGNED_IN;

import dev.opsdeck.auth.Principal;
import dev.opsdeck.auth.Role;
import dev.opsdeck.auth.Users;
import dev.opsdeck.blueprint.ConfigWatcher;
import dev.opsdeck.gate.Access;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** {@code /api/v1/me}, users (admin) and config reload (admin). API keys and the audit log have their own classes. */
public final class AccessRoutes {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Access access;
    private final ConfigWatcher watcher;

    public AccessRoutes(Access access, ConfigWatcher watcher) {
        this.access = access;
        this.watcher = watcher;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .get("/api/v1/me", SIGNED_IN, this::me)
                .get(
                        "/api/v1/users",
                        ADMINISTER,
                        ctx -> ctx.json(Map.of(
                                "users",
                                access.users().list().stream()
                                        .map(AccessRoutes::user)
                                        .toList())))
                .post("/api/v1/users", ADMINISTER, this::createUser)
                .patch("/api/v1/users/{name}", ADMINISTER, this::updateUser)
                .delete("/api/v1/users/{name}", ADMINISTER, this::deleteUser)
                .post("/api/v1/users/{name}/password", ADMINISTER, this::resetPassword)
                .post("/api/v1/users/{name}/unlock", ADMINISTER, this::unlock)
                .post("/api/v1/config/reload", ADMINISTER, this::reload);
        new ApiKeyRoutes(access).register(config);
        new AuditRoutes(access.audit()).register(config);
    }

    private void me(Context ctx) {
        Principal p = Requests.principal(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", p.name());
        body.put("role", p.role().label());
        body.put("via", p.kind() == Principal.Kind.API_KEY ? "api_key" : "session");
        body.put("key_id", p.keyId());
        body.put("must_change_password", p.mustChangePassword());
        ctx.json(body);
    }

    private void createUser(Context ctx) {
        JsonBody b = JsonBody.of(ctx, Set.of("name", "role", "password"));
        String name = b.text("name", true);
        Role role = role(b.text("role", true));
        String given = b.text("password", false);
        String password = given != null ? given : temporaryPassword();
        Users.User u = attempt(() -> access.users().create(name, role, password, true));
        audit(ctx, "user.create", name, Map.of("role", role.label()));
        Map<String, Object> out = user(u);
        if (given == null) out.put("temporary_password", password); // shown once; must be changed at first sign-in
        ctx.status(201).json(out);
    }

    private void updateUser(Context ctx) {
        String name = existing(ctx);
        JsonBody b = JsonBody.of(ctx, Set.of("role", "disabled"));
        String role = b.text("role", false);
        Boolean disabled = b.bool("disabled");
        Role newRole = role == null ? null : role(role);
        // each change is refused whole (e.g. "this would leave no enabled admin") before anything is written
        if (newRole != null)
            attempt(() -> {
                access.users().setRole(name, newRole);
                return null;
            });
        if (disabled != null)
            attempt(() -> {
                access.users().setDisabled(name, disabled);
                return null;
            });
        audit(
                ctx,
                "user.update",
                name,
                Map.of(
                        "role",
                        role == null ? "unchanged" : role,
                        "disabled",
                        disabled == null ? "unchanged" : disabled));
        ctx.json(user(access.users().find(name).orElseThrow()));
    }

    private void deleteUser(Context ctx) {
        String name = existing(ctx);
        if (name.equals(Requests.principal(ctx).name())) throw ApiProblem.badRequest("you cannot delete yourself");
        attempt(() -> {
            access.users().delete(name); // also ends the user's sessions and revokes their keys
            return null;
        });
        audit(ctx, "user.delete", name, Map.of());
        ctx.status(204);
    }

    private void resetPassword(Context ctx) {
        String name = existing(ctx);
        String given = JsonBody.of(ctx, Set.of("password")).text("password", false);
        String password = given != null ? given : temporaryPassword();
        attempt(() -> {
            access.users().resetPassword(name, password);
            return null;
        });
        access.sessions().deleteAllFor(name);
        audit(ctx, "user.password_reset", name, Map.of());
        Map<String, Object> out =
                new LinkedHashMap<>(user(access.users().find(name).orElseThrow()));
        if (given == null) out.put("temporary_password", password);
        ctx.json(out);
    }

    private void unlock(Context ctx) {
        String name = existing(ctx);
        access.users().unlock(name);
        audit(ctx, "user.unlock", name, Map.of());
        ctx.status(204);
    }

    private void reload(Context ctx) {
        var errors = watcher.reload();
        // what a reload changed is recorded as config.applied by the server; this records who asked
        access.audit()
                .record(
                        Requests.principal(ctx).actor(),
                        Requests.client(ctx),
                        "config.reload_requested",
                        "config",
                        errors.isEmpty() ? "ok" : "rejected",
                        Map.of("errors", errors.size()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("applied", errors.isEmpty());
        body.put("errors", errors.stream().map(Object::toString).toList());
        ctx.status(errors.isEmpty() ? 200 : 422).json(body);
    }

    private String existing(Context ctx) {
        String name = ctx.pathParam("name");
        if (access.users().find(name).isEmpty()) throw ApiProblem.notFound("no user named '" + name + "'");
        return name;
    }

    private void audit(Context ctx, String action, String user, Map<String, Object> details) {
        access.audit()
                .record(Requests.principal(ctx).actor(), Requests.client(ctx), action, "user:" + user, "ok", details);
    }

    static Role role(String text) {
        return Role.parse(text)
                .orElseThrow(() -> ApiProblem.badRequest(
                        "field 'role': expected viewer, responder, operator or admin; got '" + text + "'"));
    }

    static <T> T attempt(Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
    }

    static Map<String, Object> user(Users.User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", u.name());
        m.put("role", u.role().label());
        m.put("must_change_password", u.mustChangePassword());
        m.put("disabled", u.disabled());
        m.put("created_ms", u.createdMs());
        m.put("password_changed_ms", u.passwordChangedMs());
        return m;
    }

    /** 18 random bytes as 24 URL-safe characters: above any sane minimum length, typed once. */
    private static String temporaryPassword() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
