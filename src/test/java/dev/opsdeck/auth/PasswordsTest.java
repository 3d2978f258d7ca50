package dev.opsdeck.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordsTest {
    @Test
    void hashIsArgon2idPhcWithOwaspParametersAndAFreshSalt() {
        String a = Passwords.hash("correct horse battery");
        String b = Passwords.hash("correct horse battery");
        assertThat(a).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(a).as("random salt").isNotEqualTo(b);
        assertThat(Passwords.verify("correct horse battery", a)).isTrue();
        assertThat(Passwords.verify("correct horse battery", b)).isTrue();
        assertThat(Passwords.verify("correct horse batterY", a)).isFalse();
        assertThat(Passwords.verify("", a)).isFalse();
    }

    @Test
    void theUnknownUserHashIsWellFormedWithTheCurrentParameters() {
        // a sign-in as an unknown user verifies against it: it must cost what a real verify costs, so it has
        // today's parameters and a shape verify accepts (a malformed one would return at once)
        String fresh = Passwords.hash("correct horse battery");
        String parameters = fresh.substring(0, fresh.indexOf("$", "$argon2id$v=19$".length()) + 1);
        assertThat(Users.UNKNOWN_USER_HASH).startsWith(parameters);
        assertThat(Users.UNKNOWN_USER_HASH)
                .matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(Passwords.verify("correct horse battery", Users.UNKNOWN_USER_HASH))
                .isFalse();
    }

    @Test
    void verifiesAKnownReferenceHash() {
        // made by libargon2 (the reference implementation), argon2id_hash_encoded
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(Passwords.verify("password", reference)).isTrue();
        assertThat(Passwords.verify("passwore", reference)).isFalse();
        String owaspUtf8 =
                "$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$TDh/anmccQSwYlk0rGfxinJwy22ZEv3TjIT+2yGiHyQ";
        assertThat(Passwords.verify("pässwörd ünïcode", owaspUtf8))
                .as("UTF-8 bytes, like libargon2")
                .isTrue();
    }

    @Test
    void malformedEncodingsAreFalseNotExceptions() {
        String good = Passwords.hash("correct horse battery");
        String[] bad = {
            null,
            "",
            "plain",
            "$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHQxMjM0NTY$" + good.substring(good.lastIndexOf('$') + 1),
            good.replace("v=19", "v=16"),
            good.replace("m=19456", "m=abc"),
            good.replace("m=19456", "m=9999999"),
            good.replace("t=2", "t=0"),
            good.replace("p=1", "p=0"),
            good.replace("t=2", "t=99"),
            good.substring(0, good.lastIndexOf('$')),
            good + "$extra",
            good.substring(0, good.length() - 1) + "!",
            good.substring(0, good.length() - 30),
            "$argon2id$v=19$m=19456,t=2,p=1$$",
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$" + "A".repeat(200)
        };
        for (String encoded : bad) {
            assertThat(Passwords.verify("correct horse battery", encoded))
                    .as("%s", encoded)
                    .isFalse();
        }
        assertThat(Passwords.verify(null, good)).isFalse();
    }

    @Test
    void policyMessages() {
        assertThat(Passwords.policyProblem("correct horse battery", "alice", 12))
                .isNull();
        assertThat(Passwords.policyProblem("short", "alice", 12)).isEqualTo("password must be at least 12 characters");
        assertThat(Passwords.policyProblem(null, "alice", 12)).isEqualTo("password must be at least 12 characters");
        assertThat(Passwords.policyProblem("elevenchars", "alice", 12))
                .isEqualTo("password must be at least 12 characters");
        assertThat(Passwords.policyProblem("twelve chars", "alice", 12)).isNull();
        assertThat(Passwords.policyProblem("x".repeat(1025), "alice", 12))
                .isEqualTo("password must be at most 1024 characters");
        assertThat(Passwords.policyProblem("ab".repeat(512), "alice", 12)).isNull();
        assertThat(Passwords.policyProblem("alicealicealice", "alice", 12))
                .isEqualTo("password must not contain the user name");
        assertThat(Passwords.policyProblem("my name is ALICE ok", "alice", 12))
                .isEqualTo("password must not contain the user name");
        assertThat(Passwords.policyProblem("Password1234", "alice", 12))
                .isEqualTo("password is too common; choose a longer phrase");
        assertThat(Passwords.policyProblem("qwerty123456", "alice", 12))
                .isEqualTo("password is too common; choose a longer phrase");
        assertThat(Passwords.policyProblem("aaaaaaaaaaaaaaa", "alice", 12))
                .isEqualTo("password is too common; choose a longer phrase");
        assertThat(Passwords.policyProblem("password", "alice", 8))
                .isEqualTo("password is too common; choose a longer phrase");
        assertThat(Passwords.policyProblem("ünïcödé-pässwörd", "alice", 16))
                .as("counts characters, not bytes")
                .isNull();
    }
}
