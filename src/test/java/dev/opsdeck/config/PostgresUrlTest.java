package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {
    @Test
    void splitsCredentialsFromTheJdbcUrl() {
        PostgresUrl u = PostgresUrl.parse("postgresql://ops:s3cr%40t@db.internal:5433/app?sslmode=require");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/app?sslmode=require");
        assertThat(u.user()).isEqualTo("ops");
        assertThat(u.password()).isEqualTo("s3cr@t");
        assertThat(u.display()).isEqualTo("postgresql://ops:***@db.internal:5433/app");
        assertThat(u.toString()).doesNotContain("s3cr");
    }

    @Test
    void defaultsPortAndDatabase() {
        PostgresUrl u = PostgresUrl.parse("postgres://127.0.0.1");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres");
        assertThat(u.user()).isNull();
        assertThat(PostgresUrl.parse("jdbc:postgresql://h/db?user=a&password=b").display())
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=***");
    }

    @Test
    void passwordsMayCarryCharactersThatUrisReject() {
        PostgresUrl u = PostgresUrl.parse("postgresql://ops:p@ss/w+rd #1@db:5432/app");
        assertThat(u.user()).isEqualTo("ops");
        assertThat(u.password()).isEqualTo("p@ss/w+rd #1");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(u.display()).doesNotContain("p@ss");
    }

    @Test
    void invalidUrlsNeverEchoThePassword() {
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://u:my secret@db host/app"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a valid PostgreSQL URL")
                .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain("secret"));
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://u:secret@/app"))
                .hasMessage("missing host");
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://x")).hasMessage("not a postgresql:// URL");
    }
}
