package dev.opsdeck.auth;

/**
 * Who is making a request: a signed-in user (dashboard session), an API key acting for a user or a
 * service account, or nobody. {@code keyId} is set for API keys only.
 */
public record Principal(String name, Role role, Kind kind, String keyId, boolean mustChangePassword) {
    public enum Kind {
        USER,
        API_KEY,
        ANONYMOUS
    }

    public static final Principal ANONYMOUS = new Principal("anonymous", null, Kind.ANONYMOUS, null, false);

    public boolean anonymous() {
        return kind == Kind.ANONYMOUS;
    }

    public boolean may(Permission p) {
        return p.allows(role);
    }

    /** How the audit log names this actor: {@code alice}, {@code key:ci-deploy (alice)}, {@code anonymous}. */
    public String actor() {
        return kind == Kind.API_KEY ? "key:" + keyId + " (" + name + ")" : name;
    }
}
