package dev.abstractions.server.store;

import java.util.function.LongSupplier;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;
import org.apache.ratis.server.raftlog.RaftLogIOException;

/**
 * Ratis's gRPC transport (what {@code SupportedRpcType.GRPC} names) with its leader's log
 * appenders mended. Ratis 3.1.3 builds an append for a follower reading the follower's next index
 * twice: for the entry before the first one sent, then for the first one. An earlier append's
 * success, handled meanwhile on another thread and without the appender's lock, moves that index
 * between the two reads; Ratis's own check then fails ({@code IllegalStateException: Previous =
 * (t:1, i:34092) but firstIndex = 34094}), the leader restarts the appender, and the restarted one
 * starts the follower at index 0, below the purged log, so it sends the whole snapshot to a
 * follower that was not behind (3 to 10 times in a benchmark run; once the leader ran out of heap
 * doing it: bench/RESULTS.md). The appender here builds the append again when the index moved.
 *
 * <p>Ratis takes a transport by class name ({@code raft.rpc.type}), hence a public class with a
 * public constructor.
 */
public final class RaftGrpcTransport implements RpcType {

  @Override
  public String name() {
    return RaftGrpcTransport.class.getName();
  }

  @Override
  public RpcFactory newFactory(Parameters parameters) {
    return new Factory(parameters);
  }

  /**
   * What {@code build} returns, built again while it fails with an {@code IllegalStateException}
   * and {@code nextIndex} is not what it was when it started: a failure with the index unmoved is
   * Ratis's check finding something else wrong, and is thrown.
   */
  static <T> T buildWhileIndexMoves(LongSupplier nextIndex, Build<T> build) throws RaftLogIOException {
    while (true) {
      long before = nextIndex.getAsLong();
      try {
        return build.build();
      } catch (IllegalStateException e) {
        if (nextIndex.getAsLong() == before) {
          throw e;
        }
      }
    }
  }

  /** One attempt at building an append. */
  @FunctionalInterface
  interface Build<T> {
    T build() throws RaftLogIOException;
  }

  private static final class Factory extends GrpcFactory {

    Factory(Parameters parameters) {
      super(parameters);
    }

    @Override
    public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
      return new Appender(server, state, follower);
    }
  }

  private static final class Appender extends GrpcLogAppender {

    Appender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
      super(server, state, follower);
    }

    @Override
    public AppendEntriesRequestProto newAppendEntriesRequest(long callId, boolean heartbeat)
        throws RaftLogIOException {
      // A failed attempt changed nothing: Ratis clears the entries it read before its check.
      return buildWhileIndexMoves(getFollower()::getNextIndex,
          () -> super.newAppendEntriesRequest(callId, heartbeat));
    }
  }
}
