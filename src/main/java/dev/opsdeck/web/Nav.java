package dev.opsdeck.web;

import dev.opsdeck.auth.Permission;
import dev.opsdeck.auth.Role;
import io.javalin.config.JavalinConfig;
import io.javalin.config.Key;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The dashboard's top-bar links. Each page group adds its own entry where it registers its routes, as
 * {@link dev.opsdeck.gate.SecuredRoutes} adds routes: nothing lists the pages in a template. Every page reads
 * the entries its viewer may open from the request ({@link Viewer#of}).
 */
public final class Nav {
    /** One link: what it says, where it goes, what a viewer needs to see it, where it stands (lower first). */
    public record Entry(String label, String path, Permission permission, int order) {}

    private static final Key<Nav> KEY = new Key<>("opsdeck.nav");

    private final List<Entry> entries = new ArrayList<>();
    private volatile List<Entry> sorted = List.of();

    /** Makes this nav the one every page of {@code config}'s server shows. */
    void install(JavalinConfig config) {
        config.appData(KEY, this);
    }

    /** Adds a page group's link; called while the routes are registered, before the server serves. */
    public synchronized Nav add(String label, String path, Permission permission, int order) {
        entries.add(new Entry(label, path, permission, order));
        sorted = entries.stream().sorted(Comparator.comparingInt(Entry::order)).toList();
        return this;
    }

    /**
     * The links a role may follow, in order. Before anyone signs in (null) the sign-in page shows a reader's
     * links: each leads back to sign-in until then.
     */
    List<Entry> visibleTo(Role role) {
        Role seen = role == null ? Role.VIEWER : role;
        return sorted.stream().filter(e -> e.permission().allows(seen)).toList();
    }

    static Nav of(Context ctx) {
        return ctx.appData(KEY);
    }
}
