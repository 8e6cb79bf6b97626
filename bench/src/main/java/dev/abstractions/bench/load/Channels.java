package dev.abstractions.bench.load;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * K plaintext channels to one loopback port, or spread over several (the members of a group:
 * channel {@code k} to port {@code k % ports}), on grpc-java's Netty transport with
 * {@code directExecutor()} (callbacks run on the transport threads, as on the servers). Slot
 * {@code i} uses channel {@code i % K}. Thread-safe; {@link #close} shuts every channel down.
 */
public final class Channels implements AutoCloseable {

  private final List<ManagedChannel> channels;

  private Channels(List<ManagedChannel> channels) {
    this.channels = List.copyOf(channels);
  }

  public static Channels open(int port, int count) {
    return open(List.of(port), count);
  }

  /** {@code count} channels, channel {@code k} to {@code ports.get(k % ports.size())}. */
  public static Channels open(List<Integer> ports, int count) {
    List<ManagedChannel> channels = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      channels.add(NettyChannelBuilder.forAddress("127.0.0.1", ports.get(i % ports.size()))
          .usePlaintext()
          .directExecutor()
          .maxInboundMessageSize(16 << 20)
          .build());
    }
    return new Channels(channels);
  }

  public ManagedChannel forSlot(int slot) {
    return channels.get(slot % channels.size());
  }

  public int size() {
    return channels.size();
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
