package dev.opsdeck.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dashboard sessions (defaults: 30 min idle, 12 h absolute), on every backend. */
abstract class SessionsContract extends AuthContract {
    @BeforeEach
    void users() {
        users.create("root", Role.ADMIN, GOOD, false);
        users.create("alice", Role.OPERATOR, GOOD, true);
    }

    @Test
    void aSessionIsFoundByItsTokenWhichIsStoredOnlyAsAHash() throws SQLException {
        Sessions.Created created = sessions.create("alice");
        assertThat(created.token()).matches("[A-Za-z0-9_-]{43}");
        Sessions.Session s = created.session();
        assertThat(s.csrfToken()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(created.token());
        assertThat(s)
                .isEqualTo(new Sessions.Session(
                        "alice", Role.OPERATOR, s.csrfToken(), START.toEpochMilli(), START.toEpochMilli(), true));
        assertThat(sessions.find(created.token())).contains(s);
        assertThat(cells("sessions"))
                .doesNotContain(created.token())
                .contains(Tokens.sha256(created.token()))
                .allSatisfy(cell -> assertThat(cell).doesNotContain(created.token()));
        assertThat(sessions.create("alice").token()).isNotEqualTo(created.token());
        assertThat(sessions.find("nope")).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find(created.token() + "x")).isEmpty();
    }

    @Test
    void onlyExistingEnabledUsersGetSessions() {
        assertThatThrownBy(() -> sessions.create("ghost")).hasMessage("no user 'ghost'");
        users.setDisabled("alice", true);
        assertThatThrownBy(() -> sessions.create("alice")).hasMessage("no user 'alice'");
    }

    @Test
    void idleTimeoutIsRenewedByUse() throws SQLException {
        String token = sessions.create("alice").token();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(token)).isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(token)).as("58 min old, used 29 min ago").isPresent();
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.find(token)).isEmpty();
        assertThat(count("sessions"))
                .as("an expired session is deleted when seen")
                .isZero();
    }

    @Test
    void lastSeenIsWrittenAtMostEveryThirtySeconds() {
        String token = sessions.create("alice").token();
        clock.advance(Duration.ofSeconds(20));
        assertThat(sessions.find(token).orElseThrow().lastSeenMs()).isEqualTo(START.toEpochMilli());
        clock.advance(Duration.ofSeconds(15));
        long now = clock.millis();
        assertThat(sessions.find(token).orElseThrow().lastSeenMs()).isEqualTo(now);
        clock.advance(Duration.ofSeconds(5));
        assertThat(sessions.find(token).orElseThrow().lastSeenMs())
                .as("read back from the store")
                .isEqualTo(now);
    }

    @Test
    void absoluteTimeoutEndsEvenABusySession() {
        String token = sessions.create("alice").token();
        for (int i = 0; i < 35; i++) {
            clock.advance(Duration.ofMinutes(20));
            assertThat(sessions.find(token)).as("after %d min", (i + 1) * 20).isPresent();
        }
        clock.advance(Duration.ofMinutes(20)); // 12 h
        assertThat(sessions.find(token)).isEmpty();
    }

    @Test
    void roleAndStatusAreReadFreshFromTheUser() {
        String token = sessions.create("alice").token();
        users.setRole("alice", Role.VIEWER);
        assertThat(sessions.find(token).orElseThrow().role()).isEqualTo(Role.VIEWER);
        users.changePassword("alice", GOOD, "another good phrase");
        assertThat(sessions.find(token).orElseThrow().mustChangePassword()).isFalse();
        users.setDisabled("alice", true);
        assertThat(sessions.find(token)).isEmpty();
        users.setDisabled("alice", false);
        assertThat(sessions.find(token)).as("disabling ended it for good").isEmpty();
        String again = sessions.create("alice").token();
        users.delete("alice");
        assertThat(sessions.find(again)).isEmpty();
    }

    @Test
    void signOutOneOrAllAndPrune() throws SQLException {
        String a1 = sessions.create("alice").token(),
                a2 = sessions.create("alice").token();
        String r1 = sessions.create("root").token();
        sessions.delete(a1);
        assertThat(sessions.find(a1)).isEmpty();
        assertThat(sessions.find(a2)).isPresent();
        sessions.delete("unknown");
        sessions.deleteAllFor("alice");
        assertThat(sessions.find(a2)).isEmpty();
        assertThat(sessions.find(r1)).isPresent();
        sessions.create("alice");
        clock.advance(Duration.ofMinutes(20));
        sessions.create("alice");
        assertThat(sessions.prune()).isZero();
        clock.advance(Duration.ofMinutes(11)); // the first two are idle for 31 min, the last for 11
        assertThat(sessions.prune()).isEqualTo(2);
        assertThat(count("sessions")).isEqualTo(1);
    }
}
