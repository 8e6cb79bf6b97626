package dev.abstractions.server;

import com.google.inject.Injector;
import dev.abstractions.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real server, wired exactly as {@code main} wires it, on an ephemeral loopback port, with a
 * plaintext Netty channel to it. Closing stops both.
 */
public final class TestServer implements AutoCloseable {

  private final Injector injector;
  private final EntityServer server;
  private final ManagedChannel channel;

  private TestServer(Injector injector) throws IOException {
    this.injector = injector;
    this.server = injector.getInstance(EntityServer.class).start();
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  /**
   * Starts a server with the default configuration plus {@code flags}, on loopback, ephemeral
   * ports and a one-second shutdown grace unless {@code flags} say otherwise.
   */
  public static TestServer start(String... flags) throws IOException {
    List<String> args = new ArrayList<>(List.of(flags));
    Map<String, String> testDefaults = new LinkedHashMap<>();
    testDefaults.put("--host", "127.0.0.1");
    testDefaults.put("--port", "0");
    testDefaults.put("--metrics-port", "0");
    testDefaults.put("--shutdown-grace", "PT1S");
    // The in-memory store unless a test asks for the durable one (which has tests of its own and
    // takes a second or two to open).
    testDefaults.put("--store", "memory");
    testDefaults.forEach((flag, value) -> {
      if (!args.contains(flag)) {
        args.addAll(List.of(flag, value));
      }
    });
    return new TestServer(ServerModules.injector(ServerConfig.parse(args.toArray(String[]::new))));
  }

  /** The server's object graph, for tests that observe a component directly (e.g. the subscription hub). */
  public Injector injector() {
    return injector;
  }

  public ManagedChannel channel() {
    return channel;
  }

  /** A new channel of its own, for tests that want one connection per client. */
  public ManagedChannel newChannel() {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  public int port() {
    return server.port();
  }

  public int metricsPort() {
    return server.metricsPort();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    server.stop();
  }
}
