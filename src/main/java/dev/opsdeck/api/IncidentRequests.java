package dev.opsdeck.api;

import dev.opsdeck.gate.Access;
import dev.opsdeck.gate.RequestAudit;
import dev.opsdeck.gate.Requests;
import io.javalin.http.Context;
import java.util.Map;

/** What the incident routes and the review routes (which live under an incident's path) read and record alike. */
final class IncidentRequests {
    private IncidentRequests() {}

    /** The incident the path names. */
    static long id(Context ctx) {
        return PathIds.id(ctx, "no incident");
    }

    /** How the timeline names the caller: the person, whether by session or by one of their keys. */
    static String person(Context ctx) {
        return Requests.principal(ctx).name();
    }

    /** An action on incident {@code id} that succeeded, for the audit log. */
    static void audit(Access access, Context ctx, String action, long id, Map<String, Object> details) {
        RequestAudit.ok(access.audit(), ctx, action, "incident:" + id, details);
    }
}
