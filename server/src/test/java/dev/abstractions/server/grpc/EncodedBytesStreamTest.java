package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.Progress;
import dev.abstractions.server.events.ResumeTokens;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A stream of encoded bytes reads back exactly protobuf's bytes, however the transport reads it. */
class EncodedBytesStreamTest {

  private static final Event EVENT = Event.newBuilder()
      .setResumeToken(ResumeTokens.after(123_456))
      .setProgress(Progress.newBuilder().setHeadSequence(123_456))
      .build();

  @Test
  void bytesReadInPiecesThenTransferredAreProtobufsEncoding() throws Exception {
    byte[] expected = EVENT.toByteArray();
    EncodedBytesStream in = new EncodedBytesStream(EVENT.toByteArray());
    assertThat(in.available()).isEqualTo(expected.length);

    int first = in.read();
    byte[] chunk = new byte[5];
    assertThat(in.read(chunk, 1, 3)).isEqualTo(3);
    assertThat(in.read(chunk, 0, 0)).isZero();
    assertThat(in.available()).isEqualTo(expected.length - 4);
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    assertThat(in.drainTo(rest)).isEqualTo(expected.length - 4);

    assertThat(first).isEqualTo(expected[0] & 0xff);
    assertThat(Arrays.copyOfRange(chunk, 1, 4)).isEqualTo(Arrays.copyOfRange(expected, 1, 4));
    assertThat(rest.toByteArray()).isEqualTo(Arrays.copyOfRange(expected, 4, expected.length));
    assertThat(in.available()).isZero();
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.read(chunk, 0, 5)).isEqualTo(-1);
  }

  @Test
  void eachStreamOfSharedBytesStartsAtTheBeginning() throws Exception {
    byte[] shared = EVENT.toByteArray();
    assertThat(new EncodedBytesStream(shared).readAllBytes()).isEqualTo(EVENT.toByteArray());
    assertThat(new EncodedBytesStream(shared).readAllBytes()).isEqualTo(EVENT.toByteArray());
  }
}
