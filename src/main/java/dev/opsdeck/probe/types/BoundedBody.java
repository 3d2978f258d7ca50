package dev.opsdeck.probe.types;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects at most {@code limit} bytes of a response body, then cancels the subscription so
 * the client stops reading (and drops the connection). A 50 MB body therefore costs one
 * buffer of {@code limit} bytes and the time to receive that much, not 50 MB of heap.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody.Result> {
    /** The bytes read; {@code truncated} when the body was longer than the limit. */
    record Result(byte[] bytes, boolean truncated) {}

    private final long limit;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CompletableFuture<Result> done = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    BoundedBody(long limit) {
        this.limit = limit;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (done.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            long room = limit - buffer.size();
            int n = b.remaining();
            if (n > room) {
                copy(b, (int) room);
                subscription.cancel();
                done.complete(new Result(buffer.toByteArray(), true));
                return;
            }
            copy(b, n);
        }
        subscription.request(1);
    }

    private void copy(ByteBuffer b, int n) {
        byte[] chunk = new byte[n];
        b.get(chunk);
        buffer.write(chunk, 0, n);
    }

    @Override
    public void onError(Throwable t) {
        done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        done.complete(new Result(buffer.toByteArray(), false));
    }

    @Override
    public CompletionStage<Result> getBody() {
        return done;
    }

    /** Stops reading now (deadline passed or the probe was interrupted). */
    void abort() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        done.completeExceptionally(new CancellationException("aborted"));
    }
}
