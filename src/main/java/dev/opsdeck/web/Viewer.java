package dev.opsdeck.web;

import dev.opsdeck.auth.Principal;
import dev.opsdeck.auth.Role;
import dev.opsdeck.gate.Requests;
import io.javalin.http.Context;
import java.util.List;

/**
 * Who is looking at a page, for the header (name, role, log out, the top-bar links they may follow) and the
 * CSRF token its forms carry.
 */
public record Viewer(String name, String role, boolean admin, String csrf, List<Nav.Entry> nav) {
    static Viewer of(Context ctx) {
        Principal p = Requests.principal(ctx);
        Nav nav = Nav.of(ctx);
        if (p.anonymous()) return new Viewer("", "", false, "", nav.visibleTo(null));
        return new Viewer(
                p.name(), p.role().label(), p.role() == Role.ADMIN, Requests.csrfToken(ctx), nav.visibleTo(p.role()));
    }

    public boolean signedIn() {
        return !name.isEmpty();
    }
}
