package dev.opsdeck.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** A place backup files are kept: one class per kind, chosen by the destination's {@code type}. */
interface Destination {
    String name();

    /** Stores {@code file} under its own name, and its manifest beside it; returns where it now is. */
    String put(Path file, byte[] manifest) throws IOException;

    /** Reads a stored file back (to re-hash it, or to restore it). */
    InputStream open(String fileName) throws IOException;

    /** Removes a file and its manifest; a file that is already gone is not an error. */
    void delete(String fileName) throws IOException;

    /** Where {@code fileName} is (or would be): a path or an s3:// URL. */
    String location(String fileName);
}
