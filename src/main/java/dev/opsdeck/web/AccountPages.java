package dev.opsdeck.web;

import static dev.opsdeck.auth.Permission.ANONYMOUS;
import static dev.opsdeck.auth.Permission.SIGNED_IN;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.Bootstrap;
import dev.opsdeck.auth.Passwords;
import dev.opsdeck.auth.Principal;
import dev.opsdeck.auth.Sessions;
import dev.opsdeck.auth.Users;
import dev.opsdeck.config.AuthConfig;
import dev.opsdeck.gate.Access;
import dev.opsdeck.gate.Gate;
import dev.opsdeck.gate.Requests;
import dev.opsdeck.gate.SecuredRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Sign in, sign out and change password: the pages a person meets before the dashboard. */
public final class AccountPages {
    public record LoginPage(Viewer viewer, String css, String icon, String next, String username, String error) {}

    /** {@code rules}: the password policy as the form tells it, from the policy itself. */
    public record PasswordPage(
            Viewer viewer, String css, String icon, boolean forced, int minLength, List<String> rules, String error) {}

    private final Users users;
    private final Sessions sessions;
    private final AuditLog audit;
    private final AuthConfig auth;
    private final Path dataDir;
    private final SignIn signIn;
    private final PageTemplates templates = new PageTemplates();
    private final Assets.Urls assets;

    /** {@code assets}: the dashboard's asset links, so that these pages share its look. */
    public AccountPages(Access access, Assets.Urls assets) {
        this.users = access.users();
        this.sessions = access.sessions();
        this.audit = access.audit();
        this.auth = access.auth();
        this.dataDir = access.dataDir();
        this.signIn = new SignIn(access.secure());
        this.assets = assets;
    }

    public void register(JavalinConfig config) {
        new SecuredRoutes(config)
                .get("/login", ANONYMOUS, ctx -> login(ctx, 200, ctx.queryParam("next"), "", null))
                .post("/login", ANONYMOUS, this::signIn)
                .post("/logout", SIGNED_IN, this::signOut)
                .get(Gate.PASSWORD_PAGE, SIGNED_IN, ctx -> password(ctx, 200, null))
                .post(Gate.PASSWORD_PAGE, SIGNED_IN, this::changePassword);
    }

    private void signIn(Context ctx) {
        String next = SignIn.safeNext(ctx.formParam("next"));
        String name = ctx.formParam("username") == null
                ? ""
                : ctx.formParam("username").strip();
        String password = ctx.formParam("password") == null ? "" : ctx.formParam("password");
        String source = Requests.client(ctx);
        if (!SignIn.sameOrigin(ctx)) {
            login(ctx, 403, next, name, "This sign-in form was posted from another site; open Opsdeck directly.");
            return;
        }
        switch (users.login(name, password, source)) {
            case Users.LoginResult.Ok ok -> {
                Sessions.Created created = sessions.create(ok.p().name());
                signIn.setCookie(ctx, created);
                audit.record(name, source, "auth.login", "user:" + name, "ok", Map.of());
                ctx.redirect(ok.p().mustChangePassword() ? Gate.PASSWORD_PAGE : next, HttpStatus.SEE_OTHER);
            }
            case Users.LoginResult.Locked locked -> {
                audit.record(name, source, "auth.login_failed", "user:" + name, "locked", Map.of());
                login(
                        ctx,
                        429,
                        next,
                        name,
                        "Too many failed sign-ins for this account or address. Try again after "
                                + Format.utc(locked.until().toEpochMilli())
                                + ", or ask an administrator to unlock it.");
            }
            case Users.LoginResult.BadCredentials bad -> {
                audit.record(name, source, "auth.login_failed", "user:" + name, "bad credentials", Map.of());
                login(ctx, 401, next, name, "Wrong user name or password.");
            }
        }
    }

    private void signOut(Context ctx) {
        String token = ctx.cookie(Gate.SESSION_COOKIE);
        if (token != null) sessions.delete(token);
        SignIn.clearCookie(ctx);
        String name = Requests.principal(ctx).name();
        audit.record(name, Requests.client(ctx), "auth.logout", "user:" + name, "ok", Map.of());
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }

    private void changePassword(Context ctx) {
        String name = Requests.principal(ctx).name();
        String next = ctx.formParam("next");
        if (next == null || !next.equals(ctx.formParam("confirm"))) {
            password(ctx, 400, "The new password and its confirmation differ.");
            return;
        }
        try {
            users.changePassword(name, ctx.formParam("current") == null ? "" : ctx.formParam("current"), next);
        } catch (IllegalArgumentException e) {
            audit.record(
                    name,
                    Requests.client(ctx),
                    "user.password_change",
                    "user:" + name,
                    "refused",
                    Map.of("reason", e.getMessage()));
            password(ctx, 400, e.getMessage() + ".");
            return;
        }
        if (name.equals("admin")) Bootstrap.forgetInitialPassword(dataDir);
        // a new password ends every other session of this user and gives this one a fresh token
        sessions.deleteAllFor(name);
        signIn.setCookie(ctx, sessions.create(name));
        audit.record(name, Requests.client(ctx), "user.password_change", "user:" + name, "ok", Map.of());
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    private void login(Context ctx, int status, String next, String username, String error) {
        LoginPage page =
                new LoginPage(Viewer.of(ctx), assets.css(), assets.icon(), SignIn.safeNext(next), username, error);
        Dashboard.html(ctx, status, templates.render("login.jte", page));
    }

    private void password(Context ctx, int status, String error) {
        Principal who = Requests.principal(ctx);
        List<String> rules = Passwords.policy(who.name(), auth.passwordMinLength()).stream()
                .map(Passwords.Rule::told)
                .toList();
        PasswordPage page = new PasswordPage(
                Viewer.of(ctx),
                assets.css(),
                assets.icon(),
                who.mustChangePassword(),
                auth.passwordMinLength(),
                rules,
                error);
        Dashboard.html(ctx, status, templates.render("password.jte", page));
    }
}
