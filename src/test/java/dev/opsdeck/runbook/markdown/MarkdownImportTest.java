package dev.opsdeck.runbook.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** The import on markdown source: fences, checklists, placeholders and what it reports. */
class MarkdownImportTest {
    private static final String DOC = """
            # Cache runbooks

            Shared notes for both runbooks.

            ## RB-101: Cache restart

            When the cache is down.

            ```bash
            # Restart the cache
            systemctl restart cache
            ```

            ```sh
            # Purge one key
            redis-cli -a "${REDIS_PASSWORD}" del "cache:<KEY>"
            echo 'purged <KEY>'
            ```

            - [ ] Told the team
            - [x] Opened a ticket

            | Port | Service |
            |---|---|
            | 6379 | redis |

            ![dashboard](img/cache.png)

            ## RB-102: Cache stats

            ```
            redis-cli info stats
            count=$(redis-cli dbsize)
            echo "$count keys, token $API_TOKEN"
            ```

            ```json
            {"ok": true}
            ```

            ```sql
            SELECT 1;
            ```

            ```
            Expected: nothing much
            ```

            ```console
            $ docker compose ps
            NAME   STATUS
            ```

            ```bash
            docker inspect --format '{{.State}}' cache
            ```

            <div>raw html</div>
            """;

    @Test
    void splitsRunbooksAtRbHeadingsAndKeepsTheirProseAsDescription() {
        ImportResult r = MarkdownImport.convert(DOC);
        assertThat(r.fromRenderedText()).isFalse();
        assertThat(r.runbooks()).extracting(ImportedRunbook::id).containsExactly("rb-101", "rb-102");
        assertThat(r.runbooks()).extracting(ImportedRunbook::title).containsExactly("Cache restart", "Cache stats");
        ImportedRunbook restart = r.runbooks().get(0);
        assertThat(restart.line()).isEqualTo(5);
        assertThat(restart.description())
                .isEqualTo("When the cache is down.\n\n| Port | Service |\n|---|---|\n| 6379 | redis |\n\n"
                        + "![dashboard](img/cache.png)");
    }

    @Test
    void fencedShellBecomesConfirmedStepsWithPlaceholdersAsEnvironment() {
        ImportedRunbook rb = MarkdownImport.convert(DOC).runbooks().get(0);
        assertThat(rb.steps())
                .extracting(ImportedStep::id)
                .containsExactly("restart-the-cache", "purge-one-key", "checklist");
        assertThat(rb.steps().get(0).run()).isEqualTo("# Restart the cache\nsystemctl restart cache\n");
        ImportedStep purge = rb.steps().get(1);
        assertThat(purge.run())
                .isEqualTo("# Purge one key\nredis-cli -a \"${REDIS_PASSWORD}\" del \"cache:${KEY}\"\n"
                        + "echo 'purged '\"$KEY\"''\n");
        assertThat(purge.env())
                .containsExactly(
                        Map.entry("REDIS_PASSWORD", "{{params.redis_password}}"), Map.entry("KEY", "{{params.key}}"));
        assertThat(rb.params())
                .containsExactly(
                        new ImportedParam("redis_password", "REDIS_PASSWORD", "${REDIS_PASSWORD}", true, 16),
                        new ImportedParam("key", "KEY", "<KEY>", true, 16)); // "key" in a name: secret, to be safe
        ImportedStep checklist = rb.steps().get(2);
        assertThat(checklist.type()).isEqualTo("approval");
        assertThat(checklist.title()).isEqualTo("Checklist");
        assertThat(checklist.prompt())
                .isEqualTo("Confirm each item of \"Checklist\":\n- Told the team\n- Opened a ticket");
    }

    @Test
    void variablesTheScriptSetsItselfAreNotParameters() {
        ImportedRunbook rb = MarkdownImport.convert(DOC).runbooks().get(1);
        assertThat(rb.steps()).extracting(ImportedStep::run).endsWith("docker compose ps\n"); // the console block
        assertThat(rb.steps()).first().satisfies(s -> {
            assertThat(s.title()).isEqualTo("Cache stats");
            assertThat(s.run())
                    .isEqualTo(
                            "redis-cli info stats\ncount=$(redis-cli dbsize)\necho \"$count keys, token $API_TOKEN\"\n");
            assertThat(s.env()).containsExactly(Map.entry("API_TOKEN", "{{params.api_token}}"));
        });
        assertThat(rb.params())
                .extracting(ImportedParam::name, ImportedParam::secret)
                .containsExactly(Tuple.tuple("api_token", true));
    }

    @Test
    void listsWhatItCouldNotConvertWithLines() {
        assertThat(MarkdownImport.convert(DOC).unconverted())
                .containsExactly(
                        new Unconverted(
                                23,
                                "table",
                                "| Port | Service |",
                                "a table: kept in the description, not turned into steps"),
                        new Unconverted(
                                27,
                                "image",
                                "img/cache.png",
                                "an image cannot become a step: check what it shows by hand"),
                        new Unconverted(38, "code", "{\"ok\": true}", "a ```json block is not a shell script"),
                        new Unconverted(
                                42, "sql", "SELECT 1;", "a SQL statement: write a sql step with a datasource for it"),
                        new Unconverted(
                                46,
                                "code",
                                "Expected: nothing much",
                                "an unlabelled block that does not look like shell commands"),
                        new Unconverted(
                                50,
                                "docker",
                                "docker compose ps",
                                "assumes Docker containers: the step keeps it as written;"
                                        + " replace it with the host's own command (systemctl, pg_ctlcluster, redis-cli) where the service does not"
                                        + " run in Docker"),
                        new Unconverted(
                                55,
                                "code",
                                "docker inspect --format '{{.State}}' cache",
                                "holds '{{', which a step's run: may"
                                        + " not contain (templates go in env: and args:): rewrite it by hand"),
                        new Unconverted(58, "html", "<div>raw html</div>", "raw HTML: left out"));
    }

    @Test
    void aDocumentWithoutRbHeadingsIsOneRunbookNamedAfterItsTitle() {
        ImportResult r = MarkdownImport.convert(
                "# Nightly Backup Check\n\nVerify the dump.\n\n```sh\nls -l /var/backups\n```\n");
        assertThat(r.runbooks()).singleElement().satisfies(rb -> {
            assertThat(rb.id()).isEqualTo("nightly-backup-check");
            assertThat(rb.title()).isEqualTo("Nightly Backup Check");
            assertThat(rb.description()).isEqualTo("Verify the dump.");
            assertThat(rb.steps()).extracting(ImportedStep::id).containsExactly("nightly-backup-check");
        });
        assertThat(r.unconverted()).isEmpty();
    }

    @Test
    void theRewrittenScriptTakesHostileParameterValuesAsData() throws Exception {
        ImportedStep purge =
                MarkdownImport.convert(DOC).runbooks().get(0).steps().get(1);
        String hostileKey = "x'; touch /tmp/opsdeck-pwned; echo '$(id) `id` \"q\"\nline2";
        // the script as the shell step would run it, with redis-cli replaced by echo
        String script = purge.run().replace("redis-cli", "printf '%s|' ");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script);
        pb.environment().put("KEY", hostileKey);
        pb.environment().put("REDIS_PASSWORD", "p a$s");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("-a|p a$s|del|cache:" + hostileKey + "|purged " + hostileKey + "\n");
        assertThat(Path.of("/tmp/opsdeck-pwned")).doesNotExist();
    }

    @Test
    void consoleBlocksKeepOnlyThePromptedCommands() {
        ImportedRunbook rb = MarkdownImport.convert("# T\n\n```console\n$ uptime\n 10:00 up 1 day\n$ df -h\n```\n")
                .runbooks()
                .get(0);
        assertThat(rb.steps()).singleElement().extracting(ImportedStep::run).isEqualTo("uptime\ndf -h\n");
    }

    @Test
    void stepIdsStayUniqueAndShort() {
        String doc = "# T\n\n```sh\n# Check the very long and winding name of a step that goes on and on\ntrue\n\n"
                + "# Check the very long and winding name of a step that goes on and on\nfalse\n```\n";
        List<ImportedStep> steps = MarkdownImport.convert(doc).runbooks().get(0).steps();
        assertThat(steps)
                .extracting(ImportedStep::id)
                .containsExactly(
                        "check-the-very-long-and-winding-name-of-a-step",
                        "check-the-very-long-and-winding-name-of-a-step-2");
    }
}
