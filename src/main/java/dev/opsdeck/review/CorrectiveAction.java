package dev.opsdeck.review;

import java.time.LocalDate;
import java.util.Locale;

/** A long-term fix a review commits to, with an owner and a due date (the seed's "corrective actions"). */
public record CorrectiveAction(String description, String owner, LocalDate due, Status status) {
    public enum Status {
        OPEN,
        DONE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
