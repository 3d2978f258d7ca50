package dev.opsdeck.review;

import dev.opsdeck.store.TestDatabases;

class ReviewsSqliteTest extends ReviewsContract {
    @Override
    protected TestDatabases.Backend newBackend() {
        return TestDatabases.sqlite();
    }
}
