package dev.opsdeck.gate;

import dev.opsdeck.audit.AuditLog;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The audit entry for a change a caller made through a request: who (the principal, as the audit log names it) and
 * from where come from the request, so the JSON API and the pages write the same entry for the same change.
 */
public final class RequestAudit {
    private RequestAudit() {}

    public static void ok(AuditLog audit, Context ctx, String action, String target, Map<String, Object> details) {
        audit.record(Requests.principal(ctx).actor(), Requests.client(ctx), action, target, AuditLog.OK, details);
    }
}
