package dev.opsdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "oncall",
        mixinStandardHelpOptions = true,
        description = {
            "Who is on call now, until when, and who is next, for every rotation.",
            "Contacts, rotations and escalation policies are set in the configuration."
        })
final class OnCallCommand implements Callable<Integer> {
    @Mixin
    Remote remote;

    @Option(names = "--json", description = "Print JSON (GET /api/v1/oncall).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return remote.show("/api/v1/oncall", json, body -> {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ROTATION", "NOW", "UNTIL", "NEXT"});
            for (JsonNode r : body.path("oncall")) {
                rows.add(new String[] {
                    r.path("rotation").asText(),
                    who(r.path("now")),
                    r.path("now").path("until").asText(),
                    who(r.path("next"))
                });
            }
            if (rows.size() == 1) System.out.println("No rotations configured.");
            else Cli.printTable(rows);
        });
    }

    /** "Alice Example (alice)", "nobody", with "override" when an override put them there. */
    private static String who(JsonNode shift) {
        if (shift.path("contact").isNull() || shift.path("contact").isMissingNode()) return "nobody";
        String name = shift.path("name").asText(shift.path("contact").asText());
        String key = shift.path("contact").asText();
        return (name.equals(key) ? key : name + " (" + key + ")")
                + (shift.path("override").asBoolean() ? ", override" : "");
    }
}
