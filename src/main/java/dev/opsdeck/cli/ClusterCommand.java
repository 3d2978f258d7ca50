package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "The nodes sharing one PostgreSQL store: who is alive, who leads, who probes what.",
        subcommands = {ClusterCommand.Status.class})
final class ClusterCommand {
    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Every node with its state, last heartbeat, checks it probes and config hash.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return remote.show("/api/v1/cluster", json, Status::print);
        }

        static void print(JsonNode body) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NODE", "STATE", "LEADER", "HEARTBEAT", "CHECKS", "CONFIG", "HOST", "URL"});
            for (JsonNode n : body.path("nodes")) {
                rows.add(new String[] {
                    n.path("id").asText(),
                    n.path("state").asText(),
                    n.path("leader").asBoolean() ? "yes" : "",
                    n.path("heartbeat_age_ms").asLong() / 1000 + "s ago",
                    String.valueOf(n.path("owned_checks").asInt()),
                    n.path("config_hash").asText() + (n.path("config_matches").asBoolean() ? "" : " (differs)"),
                    n.path("host").asText(),
                    n.path("url").asText("-")
                });
            }
            Cli.printTable(rows);
            System.out.println(body.path("live_nodes").asInt() + " live, leader "
                    + body.path("leader").asText("none") + ", answered by "
                    + body.path("node").asText());
            if (body.hasNonNull("config_problem"))
                System.out.println("warning: " + body.path("config_problem").asText());
        }
    }
}
