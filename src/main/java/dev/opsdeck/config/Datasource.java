package dev.opsdeck.config;

/** A PostgreSQL database that {@code sql} steps query ({@code datasources:}). */
public record Datasource(String name, PostgresUrl url, String password) {
    @Override
    public String toString() {
        return "Datasource[" + name + ", " + url.display() + "]";
    }
}
