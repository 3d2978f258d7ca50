package dev.opsdeck.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on one connection, for {@link Store#inTransaction} and {@link Store#read}. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
}
