package dev.abstractions.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.junit.jupiter.api.Test;

/**
 * The mended appender's rule: an append whose building failed while the follower's next index
 * moved is built again; a failure with the index where it was is Ratis's check finding something
 * else, and stands. (Whether a real leader's appenders restart is counted by the replicated
 * benchmark group, bench/RESULTS.md: the race needs minutes of load to show.)
 */
class RaftGrpcTransportTest {

  private final AtomicLong nextIndex = new AtomicLong(34_093);
  private final AtomicInteger attempts = new AtomicInteger();

  @Test
  void anAppendBuiltWhileTheNextIndexMovedIsBuiltAgainFromWhereItIsNow() throws Exception {
    String built = RaftGrpcTransport.buildWhileIndexMoves(nextIndex::get, () -> {
      if (attempts.incrementAndGet() < 3) {
        // As a success handled on another thread does between Ratis's two reads of the index.
        long read = nextIndex.getAndIncrement();
        throw new IllegalStateException("Previous = (t:1, i:" + (read - 1) + ") but firstIndex = " + (read + 1));
      }
      return "append from " + nextIndex.get();
    });

    assertThat(built).isEqualTo("append from 34095");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void aFailureWithTheNextIndexWhereItWasIsThrown() {
    IllegalStateException failure = new IllegalStateException("buffer has 3 elements.");

    assertThatThrownBy(() -> RaftGrpcTransport.buildWhileIndexMoves(nextIndex::get, () -> {
      attempts.incrementAndGet();
      throw failure;
    })).isSameAs(failure);
    assertThat(attempts).hasValue(1);
    assertThat(nextIndex).hasValue(34_093);
  }

  @Test
  void ratisFindsTheTransportByTheNameItIsConfiguredWith() {
    RpcType configured = RpcType.valueOf(new RaftGrpcTransport().name());

    assertThat(configured).isInstanceOf(RaftGrpcTransport.class);
    assertThat(configured.newFactory(new Parameters())).isInstanceOf(GrpcFactory.class);
  }
}
