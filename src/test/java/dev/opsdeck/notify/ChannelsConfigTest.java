package dev.opsdeck.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.Problem;
import dev.opsdeck.config.Problems;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** channels: is read with positions; every mistake is reported at once, template typos included. */
class ChannelsConfigTest {
    @Test
    void readsEachTypeWithItsDefaults() {
        Channels c = TestChannels.parse("""
                ops:
                  type: webhook
                  url: https://hooks.example.com/opsdeck
                  secret: ${env:HOOK_SECRET}
                  headers: { X-Team: sre }
                chat: { type: slack, url: "${env:SLACK_URL}", retry_horizon: 2h, timeout: 3s }
                mail:
                  type: email
                  smtp: { host: smtp.example.com, username: opsdeck, password: "${env:SMTP_PASSWORD}" }
                  from: opsdeck@example.com
                  to: [oncall@example.com, lead@example.com]
                  templates:
                    test: "Hello from {{channel}} at {{ time }}"
                """);
        Channel ops = c.channel("ops").orElseThrow();
        assertThat(ops.type()).isEqualTo("webhook");
        WebhookChannel.Target hook = (WebhookChannel.Target) ops.sender();
        assertThat(hook.secret()).isEqualTo("s3cret");
        assertThat(hook.headers()).containsEntry("X-Team", "sre");
        assertThat(ops.retryHorizon()).isEqualTo(Duration.ofHours(24));
        assertThat(ops.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ops.toString()).doesNotContain("s3cret");
        Channel chat = c.channel("chat").orElseThrow();
        assertThat(((SlackChannel.Target) chat.sender()).url()).isEqualTo("https://hooks.slack.test/T0/B0/xyz");
        assertThat(chat.toString()).doesNotContain("xyz");
        assertThat(chat.retryHorizon()).isEqualTo(Duration.ofHours(2));
        assertThat(chat.timeout()).isEqualTo(Duration.ofSeconds(3));
        Channel mail = c.channel("mail").orElseThrow();
        EmailChannel.Mailbox box = (EmailChannel.Mailbox) mail.sender();
        assertThat(box.smtp().port()).isEqualTo(587);
        assertThat(box.smtp().starttls()).isTrue();
        assertThat(box.smtp().password()).isEqualTo("mail-pass");
        assertThat(box.to()).containsExactly("oncall@example.com", "lead@example.com");
        assertThat(mail.templates()).containsOnlyKeys("test");
        assertThat(mail.toString()).doesNotContain("mail-pass");
    }

    @Test
    void anUnknownPlaceholderIsAConfigErrorAtItsTemplate() {
        List<Problem> problems = TestChannels.problems("""
                ops:
                  type: webhook
                  url: https://hooks.example.com/opsdeck
                  templates:
                    incident.triggered: "{{sevrity}}: {{title}} {{nope}}"
                    incident.triggerd: "x"
                    test: "unclosed {{channel"
                """);
        assertThat(problems)
                .extracting(p -> p.position().line() + ":" + p.position().column() + " " + p.message()
                        + (p.hint() == null ? "" : " (" + p.hint() + ")"))
                .satisfiesExactly(
                        p -> assertThat(p)
                                .startsWith(
                                        "6:27 channels.ops.templates.incident.triggered: unknown placeholder "
                                                + "{{sevrity}} at character 1 (did you mean {{severity}}?) (fields: actor, channel,"),
                        p -> assertThat(p)
                                .startsWith("6:27 channels.ops.templates.incident.triggered: unknown placeholder "
                                        + "{{nope}} at character 24 (fields:"),
                        p -> assertThat(p)
                                .isEqualTo("7:7 channels.ops.templates.incident.triggerd: unknown template "
                                        + "(did you mean 'incident.triggered'?)"),
                        p -> assertThat(p)
                                .startsWith("8:13 channels.ops.templates.test: unclosed \"{{\" at character 10"));
        assertThat(problems.getFirst().position().toString()).endsWith("opsdeck.yaml:6:27");
    }

    @Test
    void everyMistakeIsReportedWithItsPosition() {
        List<String> problems = TestChannels.problems("""
                a: { type: pager }
                b: { type: webhook, url: "ftp://x", timeout: 0s, headers: { Idempotency-Key: mine } }
                c: { type: slack }
                d:
                  type: email
                  smtp: { host: mail, username: me, port: 70000 }
                  from: not-an-address
                e: { type: webhook, url: https://x.example, sekret: 1 }
                "bad name": { type: slack, url: https://x.example }
                f: just text
                """).stream()
                .map(p -> p.position().line() + ":" + p.position().column() + " " + p.message())
                .toList();
        assertThat(problems)
                .containsExactlyInAnyOrder(
                        "2:14 channels.a.type: unknown channel type \"pager\"",
                        "3:28 channels.b.url: not an http(s) URL",
                        "3:48 channels.b.timeout: must be longer than zero",
                        "3:61 channels.b.headers.Idempotency-Key: set by Opsdeck itself",
                        "4:6 channels.c: missing required key 'url'",
                        "6:5 channels.d.to: needs at least one address",
                        "7:35 channels.d.smtp: username without password",
                        "7:45 channels.d.smtp.port: 70000 is out of range",
                        "8:11 channels.d.from: \"not-an-address\" is not an email address",
                        "9:47 channels.e: unknown key 'sekret'",
                        "10:3 channel name 'bad name' is not allowed",
                        "11:6 channels.f: expected a mapping with a type, got \"just text\"");
    }

    @Test
    void literalSecretsAreNotedForTheProductionProfile() {
        Problems problems = new Problems();
        TestChannels.compile("""
                hook: { type: webhook, url: https://x.example, secret: plain }
                chat: { type: slack, url: https://hooks.slack.test/T/B/C }
                mail: { type: email, smtp: { host: m, username: u, password: p }, from: a@b.c, to: d@e.f }
                """, problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(problems.literalSecrets())
                .hasSize(3)
                .anySatisfy(s -> assertThat(s).startsWith("channels.hook.secret"))
                .anySatisfy(s -> assertThat(s).startsWith("channels.chat.url"))
                .anySatisfy(s -> assertThat(s).startsWith("channels.mail.smtp.password"));
    }
}
