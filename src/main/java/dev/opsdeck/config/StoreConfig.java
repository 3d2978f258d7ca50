package dev.opsdeck.config;

/** {@code store:} {@code embedded} (SQLite under data_dir) or a {@code postgresql://} URL. */
public record StoreConfig(String url, int poolSize, Position position) {
    public boolean embedded() {
        return url.equals("embedded");
    }

    public static StoreConfig read(Fields f) {
        String url = f.string("url", "embedded");
        int pool = f.integer("pool_size", 8, 1, 200);
        if (!url.equals("embedded")
                && !url.startsWith("postgresql://")
                && !url.startsWith("postgres://")
                && !url.startsWith("jdbc:postgresql:")) {
            f.problems()
                    .add(
                            f.positionOf("url"),
                            "store.url: unsupported store \"" + url + "\"",
                            "use 'embedded' or postgresql://user@host:5432/db");
        } else if (!url.equals("embedded")) {
            try {
                PostgresUrl parsed = PostgresUrl.parse(url); // report it here, with a position, rather than at startup
                YamlNode node = f.node("url");
                if (parsed.password() != null && node != null && !node.fromSecret()) {
                    f.problems().literalSecret(node.position(), "store.url (its password)");
                }
            } catch (IllegalArgumentException e) {
                f.problems()
                        .add(
                                f.positionOf("url"),
                                "store.url: " + e.getMessage(),
                                "postgresql://user:password@host:5432/db, with special characters in the password percent-encoded");
            }
        }
        f.finish();
        return new StoreConfig(url, pool, f.position());
    }
}
