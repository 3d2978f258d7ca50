package dev.opsdeck.config;

/**
 * {@code channels.<email>.smtp}: the mail server an email channel sends through. {@code starttls} is on by
 * default (port 587, submission); turning it off sends credentials in clear text, so do it only on a
 * trusted local relay. {@code password} is a secret.
 */
public record SmtpSettings(String host, int port, boolean starttls, String username, String password) {
    public static final int DEFAULT_PORT = 587;

    public static SmtpSettings read(Fields f) {
        String host = f.requiredString("host");
        int port = f.integer("port", DEFAULT_PORT, 1, 65535);
        boolean starttls = f.bool("starttls", true);
        String username = f.string("username", null);
        String password = f.secret("password", null);
        if (username != null && password == null) {
            f.problems()
                    .add(
                            f.positionOf("username"),
                            f.section() + ": username without password",
                            "add password: ${env:SMTP_PASSWORD}, or remove username for a relay without authentication");
        }
        if (password != null && username == null) {
            f.problems().add(f.positionOf("password"), f.section() + ": password without username");
        }
        f.finish();
        return new SmtpSettings(host, port, starttls, username, password);
    }

    @Override
    public String toString() {
        return "SmtpSettings[" + host + ":" + port + ", starttls=" + starttls + ", username=" + username + ", password="
                + (password == null ? "none" : "***") + "]";
    }
}
