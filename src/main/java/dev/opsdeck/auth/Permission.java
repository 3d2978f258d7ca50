package dev.opsdeck.auth;

/**
 * What a route needs. Every HTTP route declares exactly one of these where it is registered; the
 * gate refuses a request to a route that declares none, so a forgotten declaration fails closed.
 */
public enum Permission {
    /** Anyone, without credentials: health, readiness, the login page, static assets. */
    ANONYMOUS(null),
    /** Anonymous when {@code auth.public_metrics} is true (the default), else {@link #READ}. */
    METRICS(Role.VIEWER),
    /** Authenticated by a per-integration token in the request, not by a user (alert intake). */
    INTAKE_TOKEN(null),
    /** Any signed-in user or key, whatever the role: their own password, session and keys. */
    SIGNED_IN(Role.VIEWER),
    /** Read everything except secrets. */
    READ(Role.VIEWER),
    /** Acknowledge, resolve, annotate incidents; run responder-safe runbooks; approve where allowed. */
    RESPOND(Role.RESPONDER),
    /** Run a readiness checklist now. */
    CHECKLIST_RUN(Role.RESPONDER),
    /** Attest a checklist's manual item (the item may ask for a higher role). */
    CHECKLIST_ATTEST(Role.RESPONDER),
    /** Request a checklist waiver, or approve someone else's. */
    CHECKLIST_WAIVE(Role.OPERATOR),
    /**
     * Record a deploy another tool carried out ({@code POST /api/v1/deploys}): what a CI key needs, without the
     * right to run anything.
     */
    DEPLOY_RECORD(Role.RESPONDER),
    /** Run any runbook, silences, maintenance windows, backups and drills. */
    OPERATE(Role.OPERATOR),
    /** Users, API keys, config reload, audit log. */
    ADMINISTER(Role.ADMIN);

    private final Role minimum;

    Permission(Role minimum) {
        this.minimum = minimum;
    }

    /** The least role that holds this permission; null for the ones that need no user at all. */
    public Role minimum() {
        return minimum;
    }

    public boolean allows(Role role) {
        return minimum == null || (role != null && role.includes(minimum));
    }
}
