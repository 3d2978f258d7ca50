package dev.opsdeck.review;

import dev.opsdeck.store.TestDatabases;

class ReviewsPostgresTest extends ReviewsContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.postgres();
    }
}
