package dev.abstractions.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.Decider;
import dev.abstractions.server.core.SharedSettings;
import dev.abstractions.server.core.Time;
import dev.abstractions.server.store.format.LoggedCommand;
import dev.abstractions.server.store.format.Promote;
import org.junit.jupiter.api.Test;

/** The log's form of the commands this change added, and what a server does with one it does not know. */
class CommandCodecTest {

  private static final Time TIME = new Time(123, 456);

  @Test
  void attachmentsAndSettlementsComeBackFromTheLogAsTheyWent() {
    Command.Attach attach = new Command.Attach("a", 7, "p", 3, 9, "seed", TIME);
    assertThat(CommandCodec.decode(CommandCodec.encode(attach, RequestKey.NONE))).isEqualTo(attach);
    Command.Settle settle = new Command.Settle(new SharedSettings(new Decider.Settings(1024, 10, 5, 5_000_000_000L,
        new Decider.TreeLimits(100, 1 << 20)), 1000, 60_000_000_000L, 4 << 20), TIME);
    assertThat(CommandCodec.decode(CommandCodec.encode(settle, RequestKey.NONE))).isEqualTo(settle);
    Command.Promote promote = new Command.Promote("m", 4, 10, "seed", TIME);
    assertThat(CommandCodec.decode(CommandCodec.encode(promote, RequestKey.NONE))).isEqualTo(promote);
  }

  @Test
  void aPromotionLoggedBeforeStructuralPrioritiesIsThePlainWriteItWasThen() {
    LoggedCommand old = CommandCodec.encode(new Command.Promote("m", 4, 10, "seed", TIME), RequestKey.NONE).toBuilder()
        .setPromote(Promote.newBuilder().setExpectedTreeVersion(4)
            .setEcsSeed("seed"))
        .build();
    assertThat(((Command.Promote) CommandCodec.decode(old)).priority()).isEqualTo(Decider.PLAIN_WRITE_PRIORITY);
  }

  @Test
  void aCommandOfANewerServerStopsTheReplayWithWhatToDo() {
    LoggedCommand newer = LoggedCommand.newBuilder().setTarget("t").setTickNanos(1).setWallNanos(2)
        .setUnknownFields(UnknownFieldSet.newBuilder().addField(99, UnknownFieldSet.Field.newBuilder()
            .addLengthDelimited(ByteString.copyFromUtf8("x")).build()).build())
        .build();
    assertThatThrownBy(() -> CommandCodec.decode(newer)).isInstanceOf(IllegalStateException.class)
        .hasMessage("the log holds a command this server does not know (fields [99]): a newer server wrote it; run"
            + " that version or a later one on this data directory");
  }
}
