package dev.opsdeck.probe.types;

import dev.opsdeck.probe.Failures;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import javax.net.ssl.SSLException;

/**
 * Short messages for JDBC errors. The driver wraps network failures in SQLExceptions with
 * long advice ("Check that the hostname and port are correct..."); the cause says it better.
 */
final class PostgresErrors {
    private PostgresErrors() {}

    static String describe(SQLException e, Deadline deadline) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException u) {
                return "DNS lookup failed for " + String.valueOf(u.getMessage()).replaceAll(":.*", "");
            }
            if (t instanceof ConnectException) return "connection refused";
            if (t instanceof SocketTimeoutException) return deadline.message();
            if (t instanceof SSLException) return Failures.describe(t, deadline.timeout());
            if (t instanceof EOFException) return "connection closed by peer";
        }
        String m = String.valueOf(e.getMessage());
        // 57014: query canceled by the statement timeout; the driver's own timeouts say "timed out"
        if ("57014".equals(e.getSQLState()) || m.contains("timed out")) {
            return deadline.message();
        }
        String first = m.lines().findFirst().orElse(m).strip();
        return first.replaceFirst("^(FATAL|ERROR|PANIC):\\s*", "");
    }
}
