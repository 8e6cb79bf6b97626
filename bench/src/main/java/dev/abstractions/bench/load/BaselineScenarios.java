package dev.abstractions.bench.load;

import com.google.protobuf.BytesValue;
import io.grpc.CallOptions;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** The bare gRPC baselines, against a {@link BareServer} process. */
final class BaselineScenarios {

  private final Settings settings;

  BaselineScenarios(Settings settings) {
    this.settings = settings;
  }

  /** Unary echo of a 200-byte payload, closed loop at the configured concurrency. */
  ResultRow echo(ServerProcess bare) throws InterruptedException {
    return echo(bare, "echo", "bare gRPC unary echo, C=" + settings.concurrency());
  }

  /** The echo, as row {@code id}. */
  ResultRow echo(ServerProcess bare, String id, String scenario) throws InterruptedException {
    return ResultRow.of(id, scenario, echoSample(bare));
  }

  /** One measured window of the echo. */
  ResultRow.Sample echoSample(ServerProcess bare) throws InterruptedException {
    BytesValue payload = BareService.payload();
    try (Channels channels = Channels.open(bare.port(), settings.channels())) {
      ClosedLoop.Result result = ClosedLoop.run(settings.concurrency(), settings.warmup(), settings.measure(),
          bare.pid(),
          (slot, done) -> ClientCalls.asyncUnaryCall(
              channels.forSlot(slot).newCall(BareService.ECHO, CallOptions.DEFAULT), payload,
              Unary.of(echoed -> done.succeeded(), done::failed)));
      return ResultRow.Sample.of(result, "");
    }
  }

  /** {@code streams} server streams of 200-byte messages, sent as fast as flow control allows. */
  ResultRow streams(ServerProcess bare, int streams) throws InterruptedException {
    return ResultRow.of("stream" + streams, streamsScenario(streams), streamsSample(bare, streams));
  }

  static String streamsScenario(int streams) {
    return "bare gRPC server streaming, " + streams + " stream(s)";
  }

  /** One measured window of {@code streams} bare streams. */
  ResultRow.Sample streamsSample(ServerProcess bare, int streams) throws InterruptedException {
    Recorder latencies = new Recorder(3);
    List<StreamReceiver<BytesValue, BytesValue>> receivers = new ArrayList<>();
    try (Channels channels = Channels.open(bare.port(), settings.channels())) {
      for (int i = 0; i < streams; i++) {
        StreamReceiver<BytesValue, BytesValue> receiver = new StreamReceiver<>(latencies, BareService::stamp, false);
        receivers.add(receiver);
        ClientCalls.asyncServerStreamingCall(channels.forSlot(i).newCall(BareService.STREAM, CallOptions.DEFAULT),
            BareService.payload(), receiver);
      }
      Histogram[] measured = new Histogram[1];
      MeasuredWindow.Cpu window = MeasuredWindow.run(settings.warmup(), settings.measure(), new long[] {bare.pid()},
          latencies::getIntervalHistogram, () -> measured[0] = latencies.getIntervalHistogram());
      long broken = receivers.stream().filter(r -> r.endStatus() != null).count();
      receivers.forEach(StreamReceiver::cancel);
      return new ResultRow.Sample(measured[0], window, broken, "messages/s summed over streams");
    }
  }
}
