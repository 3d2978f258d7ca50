package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "apikey",
        mixinStandardHelpOptions = true,
        description = {
            "Create, list and revoke API keys.",
            "Rotate without downtime: create the new key, move every consumer to it, then revoke the old one.",
            "The first key, without a browser: opsdeck apikey bootstrap NAME --config PATH on the server's host."
        },
        subcommands = {
            ApiKeyCommand.Create.class,
            ApiKeyCommand.ListKeys.class,
            ApiKeyCommand.Revoke.class,
            ApiKeyBootstrapCommand.class
        })
final class ApiKeyCommand {
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a key and print its secret (shown once; Opsdeck keeps only a hash).")
    static final class Create implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "NAME", description = "What uses the key, e.g. ci-deploy.")
        String name;

        @Option(
                names = "--role",
                required = true,
                description = "viewer, responder, operator or admin (at most yours).")
        String role;

        @Option(names = "--expires-in", paramLabel = "DURATION", description = "e.g. 90d; default never.")
        String expiresIn;

        @Option(
                names = "--service-account",
                description = "Owned by a service account named after the key (admins only).")
        boolean service;

        @Option(
                names = "--owner",
                paramLabel = "USER",
                description = "Owned by this user instead of you (admins only); at most the user's role.")
        String owner;

        @Option(names = "--json", description = "Print the key as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("role", role);
            if (expiresIn != null) body.put("expires_in", expiresIn);
            if (service) body.put("service_account", true);
            if (owner != null) body.put("owner", owner);
            return remote.change("POST", "/api/v1/apikeys", body, json, key -> {
                System.out.println("Created API key " + key.path("id").asText() + " ("
                        + key.path("role").asText() + ", owner "
                        + key.path("owner").asText() + ").");
                System.out.println("Secret, shown once:");
                System.out.println(key.path("secret").asText());
            });
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description =
                    "List your keys (--all: everyone's, admins only), flagging keys unused for auth.api_keys.unused_after.")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Option(names = "--all", description = "Every user's and service account's keys (admins only).")
        boolean all;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return remote.show("/api/v1/apikeys" + (all ? "?all=true" : ""), json, keys -> {
                List<String> unused = new ArrayList<>();
                if (all)
                    remote.client()
                            .get("/api/v1/apikeys/unused")
                            .path("keys")
                            .forEach(k -> unused.add(k.path("id").asText()));
                Cli.printTable(
                        new String[] {"ID", "NAME", "OWNER", "ROLE", "CREATED", "LAST USED", "STATE"},
                        keys.path("keys"),
                        k -> {
                            String state = !k.path("revoked_ms").isNull()
                                    ? "revoked"
                                    : unused.contains(k.path("id").asText()) ? "unused" : "active";
                            return new String[] {
                                k.path("id").asText(),
                                k.path("name").asText(),
                                k.path("owner").asText(),
                                k.path("role").asText(),
                                time(k.path("created_ms")),
                                time(k.path("last_used_ms")),
                                state
                            };
                        });
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key at once.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "ID", description = "The key's id (from apikey list).")
        String id;

        @Override
        public Integer call() throws Exception {
            return Cli.run(() -> {
                remote.client().send("DELETE", "/api/v1/apikeys/" + Cli.pathSegment(id), null);
                System.out.println("Revoked API key " + id + ".");
            });
        }
    }

    static String time(JsonNode ms) {
        return ms.isNull() || ms.isMissingNode()
                ? "never"
                : Instant.ofEpochMilli(ms.asLong()).toString();
    }
}
