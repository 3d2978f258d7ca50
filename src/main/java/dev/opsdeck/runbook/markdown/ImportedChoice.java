package dev.opsdeck.runbook.markdown;

import java.util.List;

/**
 * A parameter that picks one of a document's alternatives: {@code values} in document order (the first is the
 * default), each with the words the document used for it in {@code labels}; first seen on {@code line}.
 */
public record ImportedChoice(String name, List<String> values, List<String> labels, String description, int line) {}
