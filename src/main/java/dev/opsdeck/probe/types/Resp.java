package dev.opsdeck.probe.types;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The few bits of RESP2 (the Redis protocol) a health check needs: send a command, read one
 * reply. Replies are bounded so a misbehaving server cannot make the monitor allocate much.
 */
final class Resp {
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_BULK = 4 * 1024 * 1024; // INFO is a few KB; anything this big is wrong

    /** The peer does not speak RESP (wrong port, another service). */
    static final class ProtocolError extends IOException {
        ProtocolError(String message) {
            super(message);
        }
    }

    /** An error reply such as {@code -NOAUTH Authentication required.} (without the minus). */
    record Error(String message) {}

    private final InputStream in;
    private final OutputStream out;

    Resp(Socket socket) throws IOException {
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Sends a command and returns its reply: String, Long, List, null or {@link Error}. */
    Object call(String... args) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(bytes);
            b.writeBytes(new byte[] {'\r', '\n'});
        }
        out.write(b.toByteArray());
        out.flush();
        return read();
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) throw new EOFException("connection closed");
        String line = line();
        return switch (type) {
            case '+' -> line;
            case '-' -> new Error(line);
            case ':' -> number(line);
            case '$' -> bulk((int) number(line));
            case '*' -> array((int) number(line));
            default -> throw new ProtocolError("not a Redis reply (starts with " + printable(type) + ")");
        };
    }

    private static long number(String line) throws ProtocolError {
        try {
            return Long.parseLong(line);
        } catch (NumberFormatException e) {
            throw new ProtocolError("malformed reply");
        }
    }

    private String bulk(int length) throws IOException {
        if (length < 0) return null;
        if (length > MAX_BULK) throw new ProtocolError("reply too large (" + length + " bytes)");
        byte[] data = in.readNBytes(length + 2); // payload plus CRLF
        if (data.length < length + 2) throw new EOFException("connection closed");
        return new String(data, 0, length, StandardCharsets.UTF_8);
    }

    private List<Object> array(int count) throws IOException {
        if (count < 0) return null;
        if (count > 10_000) throw new ProtocolError("reply too large (" + count + " items)");
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) items.add(read());
        return items;
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) throw new EOFException("connection closed");
            if (b.size() >= MAX_LINE) throw new ProtocolError("reply line too long");
            b.write(c);
        }
        if (in.read() != '\n') throw new ProtocolError("malformed reply");
        return b.toString(StandardCharsets.UTF_8);
    }

    private static String printable(int c) {
        return c >= 32 && c < 127 ? "'" + (char) c + "'" : String.format("0x%02x", c);
    }
}
