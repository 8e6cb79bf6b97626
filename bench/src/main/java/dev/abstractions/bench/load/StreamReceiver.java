package dev.abstractions.bench.load;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Recorder;

/**
 * The receiving end of one server stream in a load run: counts messages and records each one's
 * delivery latency (now minus the send time {@code sentAt} reads from it, both epoch nanoseconds
 * on this machine's clock; a negative send time, e.g. a bookmark, is not recorded). A stalled
 * receiver asks for no messages at all until {@link #resume}, so the server sees a subscriber that
 * reads nothing. {@link #cancel} ends the stream from the client side.
 *
 * @param <Q> request type
 * @param <T> message type
 */
public final class StreamReceiver<Q, T> implements ClientResponseObserver<Q, T> {

  private final Recorder latencies;
  private final ToLongFunction<T> sentAt;
  private final boolean stalled;
  private final LongAdder received = new LongAdder();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile ClientCallStreamObserver<Q> call;
  private volatile Status endStatus;

  public StreamReceiver(Recorder latencies, ToLongFunction<T> sentAt, boolean stalled) {
    this.latencies = latencies;
    this.sentAt = sentAt;
    this.stalled = stalled;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
    this.call = requestStream;
    if (stalled) {
      requestStream.disableAutoRequestWithInitial(0);
    }
  }

  @Override
  public void onNext(T message) {
    received.increment();
    long sent = sentAt.applyAsLong(message);
    if (sent > 0) {
      long latency = BareService.epochNanos() - sent;
      latencies.recordValue(Math.max(0, latency));
    }
  }

  @Override
  public void onError(Throwable error) {
    endStatus = Status.fromThrowable(error);
    ended.countDown();
  }

  @Override
  public void onCompleted() {
    endStatus = Status.OK;
    ended.countDown();
  }

  /** Starts reading everything (a stalled receiver only). */
  public void resume() {
    call.request(Integer.MAX_VALUE);
  }

  public void cancel() {
    ClientCallStreamObserver<Q> current = call;
    if (current != null && ended.getCount() > 0) {
      current.cancel("load run over", null);
    }
  }

  public long received() {
    return received.sum();
  }

  /** How the stream ended, or null while it runs. */
  public Status endStatus() {
    return endStatus;
  }

  public boolean awaitEnd(long millis) throws InterruptedException {
    return ended.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
