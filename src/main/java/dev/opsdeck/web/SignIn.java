package dev.opsdeck.web;

import dev.opsdeck.auth.Sessions;
import dev.opsdeck.gate.Gate;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.net.URI;
import java.util.function.Predicate;

/** The session cookie: how it is set and cleared, and where a signed-in user may be sent next. */
final class SignIn {
    private final Predicate<Context> secure;

    /** {@code secure}: the request reached us over HTTPS (natively or through a trusted proxy). */
    SignIn(Predicate<Context> secure) {
        this.secure = secure;
    }

    /**
     * HttpOnly so scripts cannot read it; SameSite=Lax so a link from a page or chat message still
     * arrives signed in, while cross-site POSTs arrive without it (and every mutation also needs
     * the CSRF token); Secure whenever the request came over HTTPS. No max-age: the server-side
     * idle and absolute timeouts decide how long it lives.
     */
    void setCookie(Context ctx, Sessions.Created created) {
        ctx.cookie(
                new Cookie(Gate.SESSION_COOKIE, created.token(), "/", -1, secure.test(ctx), true, null, SameSite.LAX));
    }

    static void clearCookie(Context ctx) {
        ctx.removeCookie(Gate.SESSION_COOKIE, "/");
    }

    /** Only a local path: an absolute or scheme-relative URL here would make the login form an open redirect. */
    static String safeNext(String next) {
        if (next == null
                || !next.startsWith("/")
                || next.startsWith("//")
                || next.startsWith("/\\")
                || next.startsWith("/login")
                || next.chars().anyMatch(c -> c < 0x20)) {
            return "/";
        }
        return next;
    }

    /** A login form posted from another site is refused: it could sign the victim into an attacker's account. */
    static boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || origin.equals("null")) return origin == null;
        try {
            URI o = URI.create(origin);
            String host = ctx.header("Host");
            String originHost = o.getPort() == -1 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host != null && host.equalsIgnoreCase(originHost);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
