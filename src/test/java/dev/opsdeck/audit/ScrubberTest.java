package dev.opsdeck.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScrubberTest {
    @Test
    void namesThatSpeakOfSecretsAreSensitiveWhateverTheirSpelling() {
        for (String name : new String[] {
            "password",
            "new_password",
            "Password",
            "passwd",
            "secret",
            "clientSecret",
            "token",
            "csrf-token",
            "api_key",
            "apiKey",
            "API-Key",
            "key",
            "private_key",
            "Authorization",
            "cookie",
            "Set-Cookie",
            "credentials"
        }) {
            assertThat(Scrubber.sensitive(name)).as(name).isTrue();
        }
        for (String name : new String[] {
            "key_id", "keyId", "key_name", "api_key_id", "role", "user", "name", "reason", "changed", "source"
        }) {
            assertThat(Scrubber.sensitive(name)).as(name).isFalse();
        }
    }
}
