package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsdeck doctor}, run in-process: table, JSON and exit codes. */
class DoctorCommandTest {
    @TempDir
    Path dir;

    /** Through the real command line, so the doctor is reached as users reach it. */
    static CliTest.Run doctor(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "doctor";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliTest.run(all);
    }

    Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
    }

    /** A configuration that passes every item, on files laid out in the temp dir. */
    Path ready() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path secret = Files.writeString(dir.resolve("db_password"), "generated\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(
                Files.createDirectory(dir.resolve("data")), PosixFilePermissions.fromString("rwx------"));
        return write("""
                runtime: { profile: production }
                server: { data_dir: data }
                store: { url: "postgresql://opsdeck:${file:db_password}@db.internal:5432/opsdeck?sslmode=verify-full" }
                network: { allowed_subnets: [10.0.0.0/8], trusted_proxies: [127.0.0.1] }
                auth: { public_metrics: false }
                """);
    }

    @Test
    void unitFindingsComeInTheSameTableAndABadUnitArgumentExitsTwo() throws Exception {
        Path config = ready();
        String example = Files.readString(Path.of("examples", "production", "opsdeck.service"));
        Path unit = Files.writeString(dir.resolve("opsdeck.service"), example.replace("User=opsdeck", "User=root"));
        CliTest.Run run = doctor("--config", config.toString(), "--unit", unit.toString());
        assertThat(run.code()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).containsPattern("(?m)^unit-user +FAIL ").contains("unit-restart");

        CliTest.Run missing = doctor(
                "--config",
                config.toString(),
                "--unit",
                dir.resolve("nope.service").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).contains("--unit " + dir.resolve("nope.service") + ": no such file");

        Path odd = Files.writeString(dir.resolve("opsdeck.service.orig"), example);
        CliTest.Run refused = doctor("--config", config.toString(), "--unit", odd.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).contains("\"opsdeck.service.orig\" is not a unit name");
    }

    /** Without {@code User=} systemd runs the service as root: the item fails with its fix, the others still pass. */
    @Test
    void aUnitWithoutUserFailsTheUserItemWithItsFix() throws Exception {
        Path config = ready();
        String example = Files.readString(Path.of("examples", "production", "opsdeck.service"));
        assertThat(example).contains("User=opsdeck\n");
        Path unit = Files.writeString(
                dir.resolve("opsdeck.service"),
                example.replace("User=opsdeck\n", "")
                        .replace("ReadWritePaths=/var/lib/opsdeck", "ReadWritePaths=" + dir.resolve("data")));
        CliTest.Run run = doctor("--config", config.toString(), "--unit", unit.toString(), "--json");
        assertThat(run.code()).as(run.err()).isEqualTo(1);
        JsonNode user = null;
        for (JsonNode f : new ObjectMapper().readTree(run.out()).path("findings")) {
            if (f.path("id").asText().startsWith("unit-")
                    && !f.path("id").asText().equals("unit-user"))
                assertThat(f.path("outcome").asText()).as(f.toString()).isEqualTo("pass");
            if (f.path("id").asText().equals("unit-user")) user = f;
        }
        assertThat(user).as(run.out()).isNotNull();
        assertThat(user.path("outcome").asText()).isEqualTo("fail");
        assertThat(user.path("detail").asText()).as(user.toString()).contains("User");
        assertThat(user.path("fix").asText())
                .isEqualTo("User=opsdeck in [Service] (a system user that owns only the data directory)");
    }

    @Test
    void invalidConfigExitsTwoWithEveryProblem() throws Exception {
        Path bad = write("runtime: { profile: prod }\nnetwork: { allowed_subnets: [10.0.0.300/8] }\n");
        CliTest.Run run = doctor("--config", bad.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .contains("runtime.profile: unknown value \"prod\"")
                .contains("network.allowed_subnets")
                .endsWith("2 problem(s) found\n");
    }

    @Test
    void tableShowsEveryFindingWithinOneHundredColumnsAndExitsOneOnAFailure() throws Exception {
        // a long data_dir: paths longer than the column are split, not cut
        Path config = write("server: { data_dir: " + "a-rather-long-folder-name/".repeat(4) + "data }\n");
        CliTest.Run run = doctor("-c", config.toString());
        assertThat(run.code()).isEqualTo(1);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
        assertThat(lines.getFirst()).matches("ID +RESULT +DETAIL +FIX");
        assertThat(lines)
                .anySatisfy(l -> assertThat(l).matches("store-postgresql +FAIL +store\\.url is embedded.*"))
                .anySatisfy(l -> assertThat(l).matches("lockout-on +PASS +5 failed logins.*"))
                .anySatisfy(l -> assertThat(l).matches("public-metrics +WARN .*"));
        String fix = "install -d -m 700 " + dir.resolve("a-rather-long-folder-name/".repeat(4) + "data")
                + " (as the user Opsdeck runs as)";
        assertThat(column(lines, "data-dir-private", "FIX").replace(" ", "")).isEqualTo(fix.replace(" ", ""));
        assertThat(lines.getLast())
                .isEqualTo("not ready for production: 5 failed, 1 warning(s) (runtime.profile: development)");
    }

    /** The text of one column of one row, its wrapped lines joined (spaces aside: wrapping drops them). */
    static String column(List<String> lines, String id, String header) {
        int from = lines.getFirst().indexOf(header);
        int to = header.equals("FIX") ? Integer.MAX_VALUE : lines.getFirst().indexOf("FIX");
        StringBuilder out = new StringBuilder();
        boolean inRow = false;
        for (String l : lines.subList(1, lines.size())) {
            if (!l.startsWith(" ")) inRow = l.startsWith(id + " ");
            if (inRow && l.length() > from) out.append(l, from, Math.min(to, l.length()));
        }
        return out.toString();
    }

    @Test
    void jsonListsEveryFindingAndTheVerdict() throws Exception {
        CliTest.Run run = doctor("--config", write("").toString(), "--json");
        assertThat(run.code()).isEqualTo(1);
        JsonNode body = new ObjectMapper().readTree(run.out());
        assertThat(body.path("profile").asText()).isEqualTo("development");
        assertThat(body.path("ready_for_production").asBoolean(true)).isFalse();
        assertThat(body.path("findings")).hasSize(12);
        JsonNode first = body.path("findings").get(0);
        assertThat(first.path("id").asText()).isEqualTo("store-postgresql");
        assertThat(first.path("title").asText()).isEqualTo("the store must be PostgreSQL");
        assertThat(first.path("outcome").asText()).isEqualTo("fail");
        assertThat(first.path("fix").asText()).startsWith("store.url: ");
        JsonNode lockout = body.path("findings").get(5);
        assertThat(lockout.path("outcome").asText()).isEqualTo("pass");
        assertThat(lockout.path("fix").isNull()).isTrue();
        // data_dir missing: Opsdeck never started here, so the bootstrap state is unknown
        assertThat(body.path("findings").get(1).path("detail").asText()).startsWith("cannot tell");
    }

    @Test
    void readyConfigurationExitsZero() throws Exception {
        Path config = ready();
        CliTest.Run table = doctor("-c", config.toString());
        assertThat(table.code()).as(table.out()).isZero();
        assertThat(table.out())
                .doesNotContain("FAIL")
                .doesNotContain("WARN")
                .endsWith("\nready for production (runtime.profile: production)\n");
        JsonNode json = new ObjectMapper()
                .readTree(doctor("-c", config.toString(), "--json").out());
        assertThat(json.path("ready_for_production").asBoolean()).isTrue();
    }

    @Test
    void bootstrapPasswordFileInTheDataDirFails() throws Exception {
        Path config = ready();
        Files.writeString(dir.resolve("data/initial-admin-password"), "generated");
        CliTest.Run run = doctor("-c", config.toString(), "--json");
        assertThat(run.code()).isEqualTo(1);
        JsonNode bootstrap =
                new ObjectMapper().readTree(run.out()).path("findings").get(1);
        assertThat(bootstrap.path("outcome").asText()).isEqualTo("fail");
        assertThat(bootstrap.path("detail").asText())
                .isEqualTo(dir.resolve("data/initial-admin-password")
                        + " still exists: the generated admin password is in use");
    }

    @Test
    void wrapSplitsAtSpacesAndCutsOnlyWordsLongerThanTheColumn() {
        assertThat(DoctorCommand.wrap("chmod 700 /var/lib/opsdeck", 12))
                .containsExactly("chmod 700", "/var/lib/ops", "deck");
        assertThat(DoctorCommand.wrap("", 10)).isEmpty();
    }
}
