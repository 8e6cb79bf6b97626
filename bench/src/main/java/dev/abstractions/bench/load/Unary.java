package dev.abstractions.bench.load;

import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;

/** A unary call's response observer from two lambdas: the value, or the error. */
final class Unary<T> implements StreamObserver<T> {

  private final Consumer<T> onValue;
  private final Consumer<Throwable> onError;

  private Unary(Consumer<T> onValue, Consumer<Throwable> onError) {
    this.onValue = onValue;
    this.onError = onError;
  }

  static <T> StreamObserver<T> of(Consumer<T> onValue, Consumer<Throwable> onError) {
    return new Unary<>(onValue, onError);
  }

  @Override
  public void onNext(T value) {
    onValue.accept(value);
  }

  @Override
  public void onError(Throwable error) {
    onError.accept(error);
  }

  @Override
  public void onCompleted() {}
}
