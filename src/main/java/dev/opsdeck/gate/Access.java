package dev.opsdeck.gate;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.ApiKeys;
import dev.opsdeck.auth.Sessions;
import dev.opsdeck.auth.Users;
import dev.opsdeck.config.AuthConfig;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The accounts side of the server, handed to the routes that manage it: users, sessions, keys, the
 * audit log, the auth settings, the data directory (for the bootstrap password file) and whether a
 * request arrived over HTTPS (for the cookie's Secure flag).
 */
public record Access(
        Users users,
        Sessions sessions,
        ApiKeys apiKeys,
        AuditLog audit,
        AuthConfig auth,
        Path dataDir,
        Predicate<Context> secure) {}
