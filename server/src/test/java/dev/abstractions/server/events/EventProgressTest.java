package dev.abstractions.server.events;

import static dev.abstractions.server.events.EventStreams.createCounter;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.server.TestServer;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A stream that has sent nothing for a progress interval gets a Progress bookmark of its position,
 * even if the log did not move, so that its subscriber can tell a quiet stream from a dead one;
 * and a bookmark, like every event, carries its time.
 */
class EventProgressTest {

  private static final Duration INTERVAL = Duration.ofMillis(200);
  private static final Duration PASS_MARGIN = Duration.ofMillis(50);

  @Test
  void anIdleStreamGetsABookmarkOfItsPositionEveryProgressIntervalEachWithItsTime() throws Exception {
    try (TestServer server = TestServer.start("--progress-interval", "PT0.2S")) {
      createCounter(server.channel(), "Counter"); // event 1: the stream starts after it
      long before = System.currentTimeMillis();
      EventStreams.Recorder idle =
          EventStreams.subscribe(server.channel(), SubscribeRequest.newBuilder().setFromNow(true).build());
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
          .until(() -> idle.bookmarks().size() >= 4);
      idle.cancel();
      long after = System.currentTimeMillis();

      List<Event> bookmarks = idle.bookmarks();
      assertThat(idle.events()).isEmpty();
      assertThat(bookmarks).allSatisfy(bookmark -> {
        assertThat(bookmark.getProgress().getHeadSequence()).isEqualTo(1);
        assertThat(bookmark.getResumeToken()).isEqualTo(ResumeTokens.after(1));
        assertThat(bookmark.getSequence()).isZero();
        assertThat(bookmark.hasTime()).isTrue();
        assertThat(Timestamps.toMillis(bookmark.getTime())).isBetween(before, after);
      });
      // The first opens the stream; each next one follows a whole interval of silence. (The
      // interval is counted on the dispatcher's monotonic clock, the time read as the bookmark is
      // built: the wall-clock gap may fall short of it by the time a dispatcher's pass takes.)
      for (int i = 1; i < bookmarks.size(); i++) {
        long gap = Timestamps.toMillis(bookmarks.get(i).getTime())
            - Timestamps.toMillis(bookmarks.get(i - 1).getTime());
        assertThat(gap).as("gap before bookmark %d", i).isGreaterThanOrEqualTo(INTERVAL.minus(PASS_MARGIN).toMillis());
      }
    }
  }
}
