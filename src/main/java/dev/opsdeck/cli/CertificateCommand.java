package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "certificate",
        mixinStandardHelpOptions = true,
        description = {
            "The certificate inventory: every certificate of the certificates: sources and the tls and https checks.",
            "--refresh needs the operator role."
        },
        subcommands = {CertificateCommand.ListCertificates.class})
final class CertificateCommand {
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Every certificate (or those of SOURCE), what needs action first.")
    static final class ListCertificates implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "SOURCE", arity = "0..1", description = "A source name, e.g. api or check:web/tls.")
        String source;

        @Option(names = "--refresh", description = "Read every source now first (operator).")
        boolean refresh;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (refresh && source == null) {
                return remote.change("POST", "/api/v1/certificates/refresh", null, json, ListCertificates::print);
            }
            return Cli.judge(() -> {
                ApiClient client = remote.client();
                if (refresh) client.send("POST", "/api/v1/certificates/refresh", null);
                Cli.print(
                        client.get(
                                source == null
                                        ? "/api/v1/certificates"
                                        : "/api/v1/certificates?source="
                                                + URLEncoder.encode(source, StandardCharsets.UTF_8)),
                        json,
                        ListCertificates::print);
                return Main.OK;
            });
        }

        static void print(JsonNode body) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"STATE", "DAYS", "NOT AFTER", "SUBJECT", "USED BY", "NOTE"});
            for (JsonNode c : body.path("certificates")) {
                List<String> notes = new ArrayList<>();
                if (!c.path("error").isNull()) notes.add(c.path("error").asText());
                c.path("problems").forEach(p -> notes.add(p.asText()));
                rows.add(new String[] {
                    c.path("state").asText(),
                    c.path("days_left").isNumber() ? c.path("days_left").asText() : "-",
                    c.path("not_after").asText("-"),
                    c.path("subject").asText(c.path("source").asText()),
                    c.path("used_by").asText(),
                    String.join("; ", notes)
                });
            }
            System.out.println("refreshed at " + body.path("refreshed_at").asText());
            Cli.printTable(rows);
        }
    }
}
