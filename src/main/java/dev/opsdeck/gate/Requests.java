package dev.opsdeck.gate;

import dev.opsdeck.auth.Principal;
import dev.opsdeck.auth.Sessions;
import io.javalin.http.Context;

/** What the gate learned about a request, for the handlers after it. */
public final class Requests {
    static final String PRINCIPAL = "opsdeck.principal";
    static final String SESSION = "opsdeck.session";
    /** Set by the network guard once it has resolved the client behind trusted proxies. */
    static final String CLIENT = "opsdeck.client";

    private Requests() {}

    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        return p == null ? Principal.ANONYMOUS : p;
    }

    /** The dashboard session, when the request came with one; null for API keys and anonymous requests. */
    public static Sessions.Session session(Context ctx) {
        return ctx.attribute(SESSION);
    }

    /** The CSRF token forms and htmx requests must send back; empty without a session. */
    public static String csrfToken(Context ctx) {
        Sessions.Session s = session(ctx);
        return s == null ? "" : s.csrfToken();
    }

    /** The client's address: the socket peer, or the X-Forwarded-For hop a trusted proxy vouches for. */
    public static String client(Context ctx) {
        String c = ctx.attribute(CLIENT);
        return c != null ? c : ctx.ip();
    }
}
