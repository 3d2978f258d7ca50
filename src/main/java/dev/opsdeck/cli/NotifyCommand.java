package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "notify",
        mixinStandardHelpOptions = true,
        description = {
            "Notification channels: send a test message (operators and admins), read the notification log.",
            "In the demo, every incident is told to its channel demo-inbox: opsdeck notify log lists what was sent."
        },
        subcommands = {NotifyCommand.Test.class, NotifyCommand.Log.class})
final class NotifyCommand {
    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description = {
                "Send the test message through CHANNEL and wait (up to ~12 s) for the first attempt.",
                "Exit 0 when the receiver acknowledged it, 1 when the attempt failed (it is retried like any message)."
            })
    static final class Test implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "CHANNEL", description = "A channel name from the config's channels: section.")
        String channel;

        @Option(names = "--json", description = "Print the message's delivery as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return Cli.judge(() -> {
                JsonNode d =
                        remote.client().send("POST", "/api/v1/channels/" + Cli.pathSegment(channel) + "/test", null);
                boolean delivered = d.path("status").asText().equals("delivered");
                if (json) {
                    Cli.printJson(d);
                } else if (delivered) {
                    System.out.println("delivered to " + channel + " (notification "
                            + d.path("id").asLong() + ", key "
                            + d.path("idempotency_key").asText() + ")");
                } else {
                    System.out.println("not delivered to " + channel + " (notification "
                            + d.path("id").asLong() + ", " + d.path("status").asText() + "): "
                            + d.path("last_error").asText("no answer yet"));
                }
                return delivered ? Main.OK : Main.FAILED;
            });
        }
    }

    @Command(
            name = "log",
            mixinStandardHelpOptions = true,
            description = {
                "The notification log, newest first: every message Opsdeck sent or is sending, with its",
                "channel, message (template), idempotency key, delivery status, attempts and last error."
            })
    static final class Log implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Option(names = "--channel", paramLabel = "NAME", description = "Only messages to this channel.")
        String channel;

        @Option(names = "--status", paramLabel = "STATUS", description = "pending, delivered or failed.")
        String status;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "1 to 1000 (default 50).")
        int limit;

        @Option(names = "--json", description = "Print the API's answer.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            StringBuilder path = new StringBuilder("/api/v1/notifications?limit=").append(limit);
            if (channel != null) path.append("&channel=").append(Cli.query(channel));
            if (status != null) path.append("&status=").append(Cli.query(status));
            return remote.show(path.toString(), json, log -> {
                if (log.path("notifications").isEmpty()) {
                    System.out.println("No notifications" + (channel != null ? " to " + channel : "")
                            + (status != null ? " " + status : "") + ".");
                    return;
                }
                Cli.printTable(
                        new String[] {"ID", "CREATED", "CHANNEL", "MESSAGE", "KEY", "STATUS", "ATTEMPTS", "LAST ERROR"},
                        log.path("notifications"),
                        n -> new String[] {
                            n.path("id").asText(),
                            n.path("created_at").asText(),
                            n.path("channel").asText(),
                            n.path("template").asText(),
                            n.path("idempotency_key").asText(),
                            n.path("status").asText(),
                            n.path("attempts").asText(),
                            n.path("last_error").isNull()
                                    ? ""
                                    : n.path("last_error").asText()
                        });
            });
        }
    }
}
