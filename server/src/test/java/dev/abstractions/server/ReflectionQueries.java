package dev.abstractions.server;

import io.grpc.Channel;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Asks a server's reflection service what grpcurl would ask, in both versions it serves. */
public final class ReflectionQueries {

  private ReflectionQueries() {}

  /** Services listed by reflection {@code v1}. */
  public static List<String> listServicesV1(Channel channel) throws Exception {
    return askV1(channel, ServerReflectionRequest.newBuilder().setListServices("").build())
        .getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
  }

  /** Services listed by reflection {@code v1alpha}, which older grpcurl builds ask. */
  @SuppressWarnings("deprecation")
  public static List<String> listServicesV1Alpha(Channel channel) throws Exception {
    CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> reply = new CompletableFuture<>();
    StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> requests =
        io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel).serverReflectionInfo(completing(reply));
    requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    return reply.get(5, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
        .map(io.grpc.reflection.v1alpha.ServiceResponse::getName).toList();
  }

  /** The answer to one reflection {@code v1} request. */
  public static ServerReflectionResponse askV1(Channel channel, ServerReflectionRequest request) throws Exception {
    CompletableFuture<ServerReflectionResponse> reply = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel).serverReflectionInfo(completing(reply));
    requests.onNext(request);
    requests.onCompleted();
    return reply.get(5, TimeUnit.SECONDS);
  }

  private static <T> StreamObserver<T> completing(CompletableFuture<T> future) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        future.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        future.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        future.completeExceptionally(new IllegalStateException("stream ended without a response"));
      }
    };
  }
}
