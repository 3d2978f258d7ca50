package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "notify", mixinStandardHelpOptions = true,
        description = "Notification channels: send a test message (operators and admins).",
        subcommands = {NotifyCommand.Test.class})
final class NotifyCommand {
    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Send the test message through CHANNEL and wait (up to ~12 s) for the first attempt.",
                    "Exit 0 when the receiver acknowledged it, 1 when the attempt failed (it is retried like any message)."})
    static final class Test implements Callable<Integer> {
        @Mixin Remote remote;
        @Parameters(paramLabel = "CHANNEL", description = "A channel name from the config's channels: section.") String channel;
        @Option(names = "--json", description = "Print the message's delivery as JSON.") boolean json;

        @Override
        public Integer call() throws Exception {
            int[] exit = {Main.OK};
            int code = Cli.run(() -> {
                JsonNode d = remote.client().send("POST", "/api/v1/channels/" + Cli.pathSegment(channel) + "/test", null);
                boolean delivered = d.path("status").asText().equals("delivered");
                if (json) {
                    Cli.printJson(d);
                } else if (delivered) {
                    System.out.println("delivered to " + channel + " (notification " + d.path("id").asLong() + ", key "
                            + d.path("idempotency_key").asText() + ")");
                } else {
                    System.out.println("not delivered to " + channel + " (notification " + d.path("id").asLong() + ", "
                            + d.path("status").asText() + "): " + d.path("last_error").asText("no answer yet"));
                }
                if (!delivered) exit[0] = Main.FAILED;
            });
            return code != Main.OK ? code : exit[0];
        }
    }
}
