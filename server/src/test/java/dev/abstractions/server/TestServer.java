package dev.abstractions.server;

import dev.abstractions.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real server, wired exactly as {@code main} wires it, on an ephemeral loopback port, with a
 * plaintext Netty channel to it. Closing stops both.
 */
public final class TestServer implements AutoCloseable {

  private final EntityServer server;
  private final ManagedChannel channel;

  private TestServer(EntityServer server) {
    this.server = server;
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  /** Starts a server with the default configuration plus {@code flags}. */
  public static TestServer start(String... flags) throws IOException {
    List<String> args = new ArrayList<>(
        List.of("--host", "127.0.0.1", "--port", "0", "--metrics-port", "0", "--shutdown-grace", "PT1S"));
    args.addAll(List.of(flags));
    return new TestServer(ServerModules.server(ServerConfig.parse(args.toArray(String[]::new))).start());
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
