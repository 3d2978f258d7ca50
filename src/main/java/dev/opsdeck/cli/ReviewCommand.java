package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "review",
        mixinStandardHelpOptions = true,
        description = {
            "Post-incident reviews: which are owed or overdue, and one as Markdown.",
            "Reviews are written on the dashboard (/incidents/ID/review) or through the API."
        },
        subcommands = {ReviewCommand.ListReviews.class, ReviewCommand.Show.class})
final class ReviewCommand {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Reviews owed, overdue first.")
    static final class ListReviews implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Option(
                names = "--show",
                defaultValue = "due",
                paramLabel = "WHICH",
                description = "due (default), overdue, completed or all.")
        String show;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return remote.show("/api/v1/reviews?show=" + Cli.query(show), json, body -> {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"INCIDENT", "SEVERITY", "TITLE", "STAGE", "DUE", ""});
                for (JsonNode r : body.path("reviews")) {
                    rows.add(new String[] {
                        r.path("incident").asText(),
                        r.path("severity").asText(),
                        r.path("title").asText(),
                        r.path("stage").asText().replace('_', ' '),
                        r.path("due_at").isNull() ? "-" : r.path("due_at").asText(),
                        r.path("overdue").asBoolean() ? "OVERDUE" : ""
                    });
                }
                if (rows.size() == 1) System.out.println("No reviews (" + show + ").");
                else Cli.printTable(rows);
            });
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "One incident's review as Markdown (redirect it into a file for a wiki or a pull request).")
    static final class Show implements Callable<Integer> {
        @Mixin
        Remote remote;

        @Parameters(paramLabel = "INCIDENT")
        long incident;

        @Option(names = "--json", description = "Print the review as JSON instead.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return Cli.run(() -> {
                if (json) Cli.printJson(remote.client().get("/api/v1/incidents/" + incident + "/review"));
                else System.out.print(remote.client().text("/api/v1/incidents/" + incident + "/review/markdown"));
            });
        }
    }
}
