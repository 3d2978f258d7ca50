package dev.opsdeck.web;

import dev.opsdeck.auth.Principal;
import dev.opsdeck.auth.Role;
import dev.opsdeck.gate.Requests;
import io.javalin.http.Context;

/** Who is looking at a page, for the header (name, role, log out) and the CSRF token its forms carry. */
public record Viewer(String name, String role, boolean admin, String csrf) {
    static Viewer of(Context ctx) {
        Principal p = Requests.principal(ctx);
        if (p.anonymous()) return new Viewer("", "", false, "");
        return new Viewer(p.name(), p.role().label(), p.role() == Role.ADMIN, Requests.csrfToken(ctx));
    }

    public boolean signedIn() {
        return !name.isEmpty();
    }
}
