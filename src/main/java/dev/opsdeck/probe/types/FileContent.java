package dev.opsdeck.probe.types;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** Reads a checked file's content: bounded, as text, and searched line by line within the check's timeout. */
final class FileContent {
    /** The most a file check reads: configuration files are far smaller, and a log must not fill the memory. */
    static final int MAX_BYTES = 8 * 1024 * 1024;

    private FileContent() {}

    /** The bytes of the regular file {@code path}, at most {@link #MAX_BYTES}. */
    static byte[] read(Path path) throws Failed, IOException {
        if (Files.isDirectory(path)) {
            throw new Failed(path + " is a directory, not a file");
        }
        if (!Files.isRegularFile(path)) {
            // a FIFO or a device could block or never end
            throw new Failed(path + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(path)) { // a channel underneath: the engine can interrupt it
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new Failed(path + " is larger than 8MiB, the most a file check reads");
            }
            return bytes;
        } catch (AccessDeniedException e) {
            throw new Failed("permission denied: " + path);
        }
    }

    /** Strict UTF-8, as YAML and JSON are written. */
    static String utf8(byte[] bytes, Path path) throws Failed {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Failed(path + " is not UTF-8 text");
        }
    }

    /** A properties file: UTF-8, or ISO-8859-1 as older Java wrote them. */
    static String properties(byte[] bytes, Path path) {
        try {
            return utf8(bytes, path);
        } catch (Failed e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * The 1-based number of the first line in which {@code pattern} is found, 0 when none. A binary file
     * (one with a NUL byte) is refused: its "lines" mean nothing, and a match would be luck.
     */
    static int firstLine(byte[] bytes, Path path, Pattern pattern, Deadline deadline) throws Failed {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new Failed(path + " is a binary file (a NUL byte at offset " + i + "); contains needs text");
            }
        }
        // lenient: a log with a few Latin-1 bytes is still searchable
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        try {
            for (int n = 0; n < lines.size(); n++) {
                if (pattern.matcher(new Bounded(lines.get(n), deadline)).find()) {
                    return n + 1;
                }
            }
        } catch (Bounded.Expired e) {
            throw new Failed(deadline.message() + " searching " + path);
        }
        return 0;
    }

    /**
     * Text whose reads stop at the deadline: a regular expression that backtracks without end on one
     * line cannot be interrupted any other way. The clock is read once every 4096 characters read.
     */
    private static final class Bounded implements CharSequence {
        static final class Expired extends RuntimeException {
            Expired() {
                super(null, null, false, false);
            }
        }

        private final String text;
        private final Deadline deadline;
        private int reads;

        Bounded(String text, Deadline deadline) {
            this.text = text;
            this.deadline = deadline;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 0xfff) == 0 && deadline.remainingNanos() <= 0) {
                throw new Expired();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Bounded(text.substring(start, end), deadline);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
