package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.SIGNED_IN;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.ApiKeys;
import dev.opsdeck.auth.Principal;
import dev.opsdeck.auth.Role;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** {@code /account}: who you are, and your API keys: create (shown once), list, revoke. */
public final class ApiKeyPages {
    public record AccountPage(
            Viewer viewer,
            String css,
            String icon,
            List<ApiKeys.ApiKey> keys,
            List<String> roles,
            String newSecret,
            String error) {}

    private final ApiKeys apiKeys;
    private final AuditLog audit;
    private final Clock clock;
    private final PageTemplates templates = new PageTemplates();
    private final Assets.Urls assets;

    public ApiKeyPages(ApiKeys apiKeys, AuditLog audit, Clock clock, Assets.Urls assets) {
        this.apiKeys = apiKeys;
        this.audit = audit;
        this.clock = clock;
        this.assets = assets;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .get("/account", SIGNED_IN, ctx -> show(ctx, 200, null, null))
                .post("/account/apikeys", SIGNED_IN, this::create)
                .post("/account/apikeys/{id}/revoke", SIGNED_IN, this::revoke);
    }

    private void create(Context ctx) {
        Principal me = Requests.principal(ctx);
        String name = ctx.formParam("name") == null ? "" : ctx.formParam("name").strip();
        Role role = Role.parse(ctx.formParam("role") == null ? "" : ctx.formParam("role"))
                .orElse(null);
        String days = ctx.formParam("expires_days") == null
                ? ""
                : ctx.formParam("expires_days").strip();
        if (role == null || !me.role().includes(role)) {
            show(ctx, 400, null, "Choose a role up to your own (" + me.role().label() + ").");
            return;
        }
        Long expires = null;
        if (!days.isEmpty()) {
            if (!days.matches("[0-9]{1,4}") || Integer.parseInt(days) == 0) {
                show(ctx, 400, null, "Expiry: a whole number of days from 1 to 9999, or empty for never.");
                return;
            }
            expires = clock.millis() + Duration.ofDays(Integer.parseInt(days)).toMillis();
        }
        try {
            ApiKeys.Created created = apiKeys.create(name, me.name(), role, false, expires);
            audit.record(
                    me.actor(),
                    Requests.client(ctx),
                    "apikey.create",
                    "apikey:" + created.key().id(),
                    "ok",
                    Map.of("name", name, "role", role.label(), "expires_ms", expires == null ? "never" : expires));
            show(ctx, 201, created.secret(), null);
        } catch (IllegalArgumentException e) {
            show(ctx, 400, null, e.getMessage() + ".");
        }
    }

    private void revoke(Context ctx) {
        Principal me = Requests.principal(ctx);
        String id = ctx.pathParam("id");
        boolean mine = apiKeys.listFor(me.name()).stream().anyMatch(k -> k.id().equals(id) && !k.serviceAccount());
        if (!mine) {
            show(ctx, 404, null, "You have no API key with that id.");
            return;
        }
        apiKeys.revoke(id);
        audit.record(me.actor(), Requests.client(ctx), "apikey.revoke", "apikey:" + id, "ok", Map.of());
        ctx.redirect("/account", HttpStatus.SEE_OTHER);
    }

    private void show(Context ctx, int status, String newSecret, String error) {
        Principal me = Requests.principal(ctx);
        List<String> roles = Arrays.stream(Role.values())
                .filter(r -> me.role().includes(r))
                .map(Role::label)
                .toList();
        AccountPage page = new AccountPage(
                Viewer.of(ctx), assets.css(), assets.icon(), apiKeys.listFor(me.name()), roles, newSecret, error);
        Dashboard.html(ctx, status, templates.render("account.jte", page));
    }
}
