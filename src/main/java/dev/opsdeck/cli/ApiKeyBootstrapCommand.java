package dev.opsdeck.cli;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.ApiKeys;
import dev.opsdeck.auth.Role;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.Json;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.Units;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.StoreException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The headless way to a first API key: written straight into the store the config names, by someone who can
 * read that config and the data directory on the server's host (which already grants everything the key
 * does). Works before the first start (the store is created then) and while the server runs (SQLite in WAL
 * mode and PostgreSQL both take a second writer).
 */
@Command(
        name = "bootstrap",
        mixinStandardHelpOptions = true,
        description = {
            "Create an API key directly in the store, on the server's host: no running server, no sign-in,",
            "no other key. Run it as the user the server runs as, with the server's config; it works before the",
            "first start and while the server runs. By default the key belongs to a service account named NAME",
            "with the admin role. The audit log records it as local:<your user name>.",
            "The secret is the last line printed (or, with --output, only in that file)."
        })
final class ApiKeyBootstrapCommand implements Callable<Integer> {
    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "PATH",
            description = "The server's config file or directory (for store: and server.data_dir).")
    Path config;

    @Parameters(
            paramLabel = "NAME",
            description = "What uses the key, e.g. ci-deploy; also the service account's name.")
    String name;

    @Option(
            names = "--role",
            defaultValue = "admin",
            description = "viewer, responder, operator or admin (default admin).")
    String role;

    @Option(
            names = "--user",
            paramLabel = "USER",
            description =
                    "The key belongs to this existing user instead of a service account (at most the user's role).")
    String user;

    @Option(names = "--expires-in", paramLabel = "DURATION", description = "e.g. 90d; default never.")
    String expiresIn;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description =
                    "Write the secret to FILE (created with mode 0600; it must not exist) instead of printing it.")
    Path output;

    @Option(names = "--json", description = "Print the key as JSON, secret included (unless --output).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Role keyRole = Role.parse(role).orElse(null);
        if (keyRole == null) {
            System.err.println("opsdeck: --role: expected viewer, responder, operator or admin; got '" + role + "'");
            return Main.INVALID;
        }
        Long expiresMs = null;
        if (expiresIn != null) {
            Duration d = Units.duration(expiresIn);
            if (d == null || d.isZero() || d.isNegative()) {
                System.err.println("opsdeck: --expires-in: expected a duration such as 90d; got '" + expiresIn + "'");
                return Main.INVALID;
            }
            expiresMs = System.currentTimeMillis() + d.toMillis();
        }
        if (output != null && Files.exists(output)) {
            System.err.println("opsdeck: --output: " + output + " already exists (remove it or name another file)");
            return Main.INVALID;
        }
        OpsdeckConfig cfg;
        try {
            Problems problems = new Problems();
            cfg = ConfigLoader.standard().load(config, problems);
            problems.throwIfAny();
        } catch (ConfigException e) {
            return ConfigProblems.refuse(e);
        }
        if (output != null) {
            // the file first: a key whose secret could not be written down would be of no use to anyone
            try {
                createPrivately(output);
            } catch (IOException e) {
                System.err.println("opsdeck: --output: cannot create " + output + ": " + e.getMessage());
                return Main.INVALID;
            }
        }
        int code = create(cfg, keyRole, expiresMs);
        if (code != Main.OK && output != null) Files.deleteIfExists(output);
        return code;
    }

    private int create(OpsdeckConfig cfg, Role keyRole, Long expiresMs) throws Exception {
        ApiKeys.Created created;
        try (Store store = Store.open(cfg.store(), cfg.server().dataDir())) {
            Clock clock = Clock.systemUTC();
            ApiKeys keys = new ApiKeys(store, clock);
            boolean service = user == null;
            String owner = service ? name : user;
            try {
                created = keys.create(name, owner, keyRole, service, expiresMs);
            } catch (IllegalArgumentException e) {
                System.err.println("opsdeck: " + e.getMessage());
                return Main.INVALID;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("name", name);
            details.put("owner", owner);
            details.put("role", keyRole.label());
            details.put("service_account", service);
            details.put("host", hostName());
            details.put("via", "opsdeck apikey bootstrap");
            // a key nobody can account for must not exist: without its audit entry it is revoked again
            if (!new AuditLog(store, clock)
                    .record(
                            localActor(),
                            "local",
                            "apikey.create",
                            "apikey:" + created.key().id(),
                            AuditLog.OK,
                            details)) {
                keys.revoke(created.key().id());
                System.err.println("opsdeck: could not write the audit entry; the key was revoked again");
                return Main.UNREACHABLE;
            }
        } catch (StoreException e) {
            System.err.println("opsdeck: " + e.getMessage());
            return Main.UNREACHABLE;
        }
        return print(created);
    }

    private int print(ApiKeys.Created created) throws Exception {
        ApiKeys.ApiKey k = created.key();
        String who = k.serviceAccount() ? "service account " + k.owner() : "user " + k.owner();
        if (output != null) Files.writeString(output, created.secret() + "\n");
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", k.id());
            out.put("name", k.name());
            out.put("owner", k.owner());
            out.put("role", k.role().label());
            out.put("service_account", k.serviceAccount());
            out.put("created_ms", k.createdMs());
            out.put("expires_ms", k.expiresMs());
            if (output == null) out.put("secret", created.secret());
            else out.put("secret_file", output.toString());
            Cli.printJson(Json.MAPPER.valueToTree(out));
            return Main.OK;
        }
        System.out.println("Created API key " + k.id() + " (" + k.role().label() + ", " + who + ").");
        if (output != null) {
            System.out.println("Secret written to " + output + " (mode 0600).");
        } else {
            System.out.println("Secret, shown once:");
            System.out.println(created.secret());
        }
        return Main.OK;
    }

    /** Who ran it, as the audit log names them: the host's user, since no Opsdeck user signed in. */
    static String localActor() {
        return "local:" + System.getProperty("user.name", "unknown");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Created with mode 0600 from the start, so the secret is never readable by others, not even briefly. */
    private static void createPrivately(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
    }
}
