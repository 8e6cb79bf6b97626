package dev.abstractions.server.grpc;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.grpc.BindableService;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import dev.abstractions.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

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

  /** Authentication when tokens are configured (from the file and the setting together). */
  @Provides
  @Singleton
  Optional<BearerTokenInterceptor> authentication(ServerConfig config) throws IOException {
    StringBuilder text = new StringBuilder();
    if (config.authTokensFile() != null) {
      text.append(Files.readString(config.authTokensFile())).append('\n');
    }
    if (config.authTokens() != null) {
      text.append(config.authTokens());
    }
    List<BearerTokenInterceptor.Token> tokens;
    try {
      tokens = BearerTokenInterceptor.parse(text.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--auth-tokens-file/--auth-tokens: " + e.getMessage(), e);
    }
    if (config.authTokensFile() != null || config.authTokens() != null) {
      if (tokens.isEmpty()) {
        throw new IllegalArgumentException("--auth-tokens-file/--auth-tokens: auth is configured but no token was given");
      }
      return Optional.of(new BearerTokenInterceptor(tokens));
    }
    return Optional.empty();
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
