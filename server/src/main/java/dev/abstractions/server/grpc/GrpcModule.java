package dev.abstractions.server.grpc;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.grpc.BindableService;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;

/**
 * Binds the gRPC services the server hosts: the domain services, health, and server reflection
 * in both versions ({@code v1}, and {@code v1alpha} for older grpcurl builds and dynamic clients).
 */
public final class GrpcModule extends AbstractModule {

  @Override
  protected void configure() {
    Multibinder<BindableService> services = Multibinder.newSetBinder(binder(), BindableService.class);
    services.addBinding().to(EntityGrpcService.class);
    services.addBinding().to(OperationGrpcService.class);
    services.addBinding().to(EventGrpcService.class);
    services.addBinding().toInstance(ProtoReflectionServiceV1.newInstance());
    services.addBinding().toInstance(reflectionV1Alpha());
  }

  @Provides
  @Singleton
  HealthStatusManager healthStatusManager() {
    return new HealthStatusManager();
  }

  @SuppressWarnings("deprecation") // v1alpha is deprecated but still what many clients ask for
  private static BindableService reflectionV1Alpha() {
    return ProtoReflectionService.newInstance();
  }
}
