package dev.abstractions.server.ops;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.Decider;
import dev.abstractions.server.core.Decision;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.OpState;
import dev.abstractions.server.core.Refusal;
import dev.abstractions.server.core.Reply;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.core.Ticker;
import dev.abstractions.server.core.Time;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.events.EventLogSettings;
import dev.abstractions.server.events.EventSignal;
import dev.abstractions.server.events.EventsLostException;
import dev.abstractions.server.events.LoggedEvent;
import dev.abstractions.server.memory.MemoryBudget;
import dev.abstractions.server.store.DiskSpace;
import dev.abstractions.server.store.EntityStore;
import dev.abstractions.server.store.HistoryPage;
import dev.abstractions.server.store.InMemoryEntityStore;
import dev.abstractions.server.store.OperationRegistry;
import dev.abstractions.server.store.RequestKey;
import dev.abstractions.server.store.RequestTable;
import dev.abstractions.server.store.StoreSettings;
import dev.abstractions.server.store.VersionRead;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.LincheckAssertionError;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.paramgen.LongGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Checks that the real write path is linearizable: the {@link CommandDriver}'s plain updates and
 * deletes, and operations' begin, commit, abort and expiry as commands on the store (each decided
 * and applied with its events in one atomic step of {@link EntityStore#apply}), with the store's
 * lock-free reads and history pages. Every concurrent run Lincheck tries must give results some
 * sequential order of the same calls gives. The sequential specification is this class itself run
 * on one thread, which is sound because everything the operations return is deterministic (random
 * ecs ids and stamps are never returned, only kinds, statuses and version numbers, and every
 * command happens at one fixed moment).
 *
 * <p>A history limit of 3 keeps the store's ring small (it grows from 2 to 4 slots at version 3
 * and reuses slot 1 at version 5), so the racy paths of the store's lineage ring — reading a slot
 * a writer is reusing, reading while the ring grows — are within reach of a handful of operations.
 *
 * <p>The components are built by hand, without Guice: Lincheck creates a fresh instance for every
 * scenario, so construction has to stay cheap. Operations are named by key and slot, so results
 * never show a random id; a conflicting operation may own the gate and refuse plain writes
 * (GATE_HELD), which is part of what is checked.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:1")
@Param(name = "expectedVersion", gen = LongGen.class, conf = "1:4")
@Param(name = "version", gen = LongGen.class, conf = "1:5")
@Param(name = "slot", gen = IntGen.class, conf = "0:1")
public class WriteLinearizabilityTest {

  private static final List<String> LINEAGES =
      List.of("00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002");
  /** Smaller than a full history, so that pages are sometimes cut short and name a next version. */
  private static final int HISTORY_PAGE_LIMIT = 2;
  /** A history of 3 versions; entities far below the size limit. */
  private static final StoreSettings SETTINGS = new StoreSettings(3, 1 << 16);
  /** Data is never returned, so one value serves every write. */
  private static final Struct DATA = Struct.getDefaultInstance();
  /** The driver's scheduler, shared by every instance; plain writes never schedule anything. */
  private static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "lincheck-ops-scheduler");
        thread.setDaemon(true);
        return thread;
      });

  /**
   * Races on the store's lineage ring that random scenarios almost never build, since they need
   * several writes to one lineage around one read: a reader of version 1 while writers reach
   * version 5 and reuse its slot, and a reader of the history while the ring grows at version 3.
   * Model checking explores their interleavings and catches a reader that trusts a reused slot;
   * stress runs them too but rarely lands in the window.
   */
  private static final List<ExecutionScenario> RING_RACES =
      List.of(
          new ExecutionScenario(
              List.of(call("updateLatest", 0), call("updateLatest", 0)),
              List.of(
                  List.of(call("readVersion", 0, 1L), call("history", 0, 1L)),
                  List.of(call("updateLatest", 0), call("updateLatest", 0))),
              List.of(call("history", 0, 1L)),
              null),
          new ExecutionScenario(
              List.of(call("updateLatest", 0)),
              List.of(
                  List.of(call("history", 0, 1L), call("readVersion", 0, 1L)),
                  List.of(call("updateLatest", 0), call("updateLatest", 0))),
              List.of(),
              null));

  /**
   * The race the compare-and-set exists for, which random scenarios build only now and then: two
   * writers expecting the same version, where exactly one may win, then a delete racing an update
   * of the version only one of them made. Both threads start their first call together, so stress
   * lands in the window in most runs; a version check done outside the store's atomic step is
   * caught here nearly every time, while random scenarios alone often missed it.
   */
  private static final ExecutionScenario WRITE_RACE =
      new ExecutionScenario(
          List.of(),
          List.of(
              List.of(call("update", 0, 1L), call("update", 0, 2L)),
              List.of(call("update", 0, 1L), call("delete", 0, 2L))),
          List.of(call("history", 0, 1L)),
          null);

  /**
   * Every command happens at this one moment, so no result depends on when an actor runs: stamps
   * still increase (each is the previous plus one), and nothing expires but by {@link #expire}.
   */
  private static final Time NOW = new Time(1_000_000_000L, 1_700_000_000_000_000_000L);
  private static final Ticker STILL = new Ticker() {
    @Override
    public long tickNanos() {
      return NOW.tickNanos();
    }

    @Override
    public long wallNanos() {
      return NOW.wallNanos();
    }
  };
  /** Who begins and acts on the operations (Lincheck's own Actor class takes the simple name). */
  private static final dev.abstractions.server.core.Actor OWNER = dev.abstractions.server.core.Actor.SERVER;
  /** Past every deadline and gate lease: an Expire then expires whatever is in flight. */
  private static final Time LATER = new Time(NOW.tickNanos() + TimeUnit.HOURS.toNanos(2), NOW.wallNanos());


  private final Clock clock = Clock.systemUTC();
  private final EventLog log =
      new EventLog(new EventLogSettings(1024, Duration.ofHours(1)), clock, new EventSignal(), MemoryBudget.unlimited());
  private final Decider decider = new Decider(Map.of(), new Decider.Settings(SETTINGS.maxEntityBytes(), 1000, 1000,
      Duration.ofSeconds(5).toNanos(), Decider.TreeLimits.NONE));
  private final EntityStore store = new InMemoryEntityStore(decider,
      log, new OperationRegistry(100, Duration.ofMinutes(5).toNanos(), MemoryBudget.unlimited()),
      new RequestTable(100, Duration.ofMinutes(5).toNanos(), MemoryBudget.unlimited()), SETTINGS, MemoryBudget.unlimited());
  private final CommandDriver driver =
      new CommandDriver(store, STILL, SCHEDULER, Map.of(), Unobserved.OBSERVER, MemoryBudget.unlimited(),
          DiskSpace.none());
  private volatile boolean created;

  /**
   * Creates the lineages on first use rather than in the constructor: Lincheck walks the fields of
   * a new instance with {@code Unsafe.objectFieldOffset}, which refuses records (the store's
   * target states and the log's event records are records), so the instance it walks must not hold
   * any yet. Every operation calls this first; whichever thread gets here first creates both
   * lineages, and a create that finds one existing is a no-op, so no result depends on it.
   */
  private void createLineages() {
    if (created) {
      return;
    }
    for (String lineageId : LINEAGES) {
      Outcome<EntityVersion> outcome = driver.create(RequestKey.NONE, lineageId, "", "thing", StructBytes.of(DATA)).join();
      if (!outcome.ok() && outcome.refusal().kind() != Refusal.Kind.ALREADY_EXISTS) {
        throw new IllegalStateException("could not create " + lineageId + ": " + describe(outcome));
      }
    }
    created = true;
  }

  @Operation
  public String update(
      @Param(name = "key") int key, @Param(name = "expectedVersion") long expected) {
    createLineages();
    return describe(driver.update(RequestKey.NONE, LINEAGES.get(key), expected, StructBytes.of(DATA)).join());
  }

  /**
   * A client's retry loop: update whatever the latest version is until the compare-and-set wins.
   * Each failed attempt means another writer won, so it ends; it pushes lineages past the ring's
   * size far more often than blind expected versions do.
   */
  @Operation
  public String updateLatest(@Param(name = "key") int key) {
    createLineages();
    String lineageId = LINEAGES.get(key);
    while (true) {
      long head = store.read(lineageId, 0).entity().version();
      Outcome<EntityVersion> result = driver.update(RequestKey.NONE, lineageId, head, StructBytes.of(DATA)).join();
      if (result.ok() || result.refusal().kind() != Refusal.Kind.VERSION_CONFLICT) {
        return describe(result);
      }
    }
  }

  @Operation
  public String delete(
      @Param(name = "key") int key, @Param(name = "expectedVersion") long expected) {
    createLineages();
    return describe(driver.delete(RequestKey.NONE, LINEAGES.get(key), expected).join());
  }

  @Operation
  public String read(@Param(name = "key") int key) {
    createLineages();
    return describe(store.read(LINEAGES.get(key), 0));
  }

  @Operation
  public String readVersion(@Param(name = "key") int key, @Param(name = "version") long version) {
    createLineages();
    return describe(store.read(LINEAGES.get(key), version));
  }

  /**
   * Begins the operation of this key and slot (NORMAL, an hour to live): it never waits for the
   * gate (its wait ends at once), and one begun again in a slot whose operation is still in flight
   * takes that operation's place, in a concurrent run as in a sequential one.
   */
  @Operation
  public String begin(@Param(name = "key") int key, @Param(name = "slot") int slot) {
    createLineages();
    Command.NewOperation op = new Command.NewOperation(opId(key, slot), "lincheck", PriorityClass.NORMAL, 5, 2, "",
        5, 1, TimeUnit.HOURS.toNanos(1), slot + 1, OWNER);
    return describe(store.apply(new Command.Begin(LINEAGES.get(key), op, 0, NOW)).join());
  }

  /** Commits the slot's operation with data computed on whatever snapshot it holds. */
  @Operation
  public String commit(@Param(name = "key") int key, @Param(name = "slot") int slot) {
    createLineages();
    return describe(store.apply(
        new Command.Commit(LINEAGES.get(key), opId(key, slot), StructBytes.of(DATA), List.of(), "ecs-" + key + "-" + slot, 0.5,
            OWNER, NOW)).join());
  }

  @Operation
  public String abort(@Param(name = "key") int key, @Param(name = "slot") int slot) {
    createLineages();
    return describe(store.apply(new Command.Abort(LINEAGES.get(key), opId(key, slot), OWNER, NOW)).join());
  }

  /** Expires everything in flight on the key (its time is past every deadline and lease). */
  @Operation
  public String expire(@Param(name = "key") int key) {
    createLineages();
    return describe(store.apply(new Command.Expire(LINEAGES.get(key), LATER)).join());
  }

  /** A history page, checked to be a chain; also checks the lineage's events are in order. */
  @Operation
  public String history(@Param(name = "key") int key, @Param(name = "version") long fromVersion) {
    createLineages();
    String lineageId = LINEAGES.get(key);
    HistoryPage page = store.history(lineageId, fromVersion, HISTORY_PAGE_LIMIT).orElseThrow();
    checkChained(page.versions().stream().map(EntityVersion::entity).toList());
    checkEventsInVersionOrder(lineageId);
    return versions(page.versions().stream().map(EntityVersion::entity).toList())
        + " next " + page.nextVersion()
        + " oldest " + page.oldestRetained();
  }

  @Test
  public void writesAreLinearizableUnderStress() {
    StressOptions options =
        new StressOptions()
            .threads(2)
            .actorsPerThread(3)
            .actorsBefore(2)
            .actorsAfter(1)
            // About 2,700 invocations: half a minute on a loaded 2-core machine, most of it the
            // one-off warm-up of Lincheck and the JIT.
            .iterations(15)
            .invocationsPerIteration(150);
    RING_RACES.forEach(options::addCustomScenario);
    options.addCustomScenario(WRITE_RACE);
    LinChecker.check(WriteLinearizabilityTest.class, options);
  }

  /**
   * Opt-in: {@code -DargLine=-Dlincheck.instrumentAllClasses=true}. Lincheck 2.39 instruments
   * classes lazily, and on first touching a record that declares a static field ({@link
   * VersionRead#NO_LINEAGE}, {@code Provenance.NONE}) it walks that field through {@code
   * Unsafe.staticFieldBase}, which refuses records; the exception is reported as "You've caught a
   * bug in Lincheck" (or as "non-determinism found"). Instrumenting every class up front avoids the
   * walk, but is slow: on 2 busy cores it added over a minute of start-up and the check itself took
   * about four minutes, far too slow for every build.
   */
  @Test
  @EnabledIfSystemProperty(named = "lincheck.instrumentAllClasses", matches = "true")
  public void writesAreLinearizableUnderModelChecking() {
    ModelCheckingOptions options =
        new ModelCheckingOptions()
            .threads(2)
            .actorsPerThread(3)
            .actorsBefore(2)
            .actorsAfter(1)
            .iterations(10)
            .invocationsPerIteration(200);
    RING_RACES.forEach(options::addCustomScenario);
    options.addCustomScenario(WRITE_RACE);
    LinChecker.check(WriteLinearizabilityTest.class, options);
  }

  /**
   * Guards against a harness that passes everything: the same checks must fail a racy CAS. Model
   * checking finds the race deterministically, and works here since the counter touches no record.
   */
  @Test
  public void checkThenSetWithoutAtomicityIsCaughtAsNotLinearizable() {
    ModelCheckingOptions options =
        new ModelCheckingOptions()
            .threads(2)
            .actorsPerThread(2)
            .iterations(20)
            .invocationsPerIteration(200)
            .minimizeFailedScenario(false); // only the verdict matters here
    assertThatThrownBy(() -> LinChecker.check(CheckThenSetCounter.class, options))
        .isInstanceOf(LincheckAssertionError.class)
        .hasMessageContaining("Invalid execution results");
  }

  /**
   * A version counter whose compare-and-set checks and then sets without any lock, so two writers
   * expecting the same version can both win — the bug the store prevents by deciding the
   * compare-and-set inside the target's atomic step.
   */
  @Param(name = "expectedVersion", gen = LongGen.class, conf = "1:2")
  public static class CheckThenSetCounter {

    private volatile long version = 1;

    @Operation
    public String update(@Param(name = "expectedVersion") long expected) {
      if (version != expected) {
        return "VERSION_CONFLICT " + version;
      }
      version = expected + 1;
      return "WRITTEN " + (expected + 1);
    }

    @Operation
    public long read() {
      return version;
    }
  }

  private static List<Long> versions(List<Entity> entities) {
    return entities.stream().map(Entity::getVersion).toList();
  }

  private static Actor call(String operation, Object... args) {
    Method method =
        Arrays.stream(WriteLinearizabilityTest.class.getMethods())
            .filter(candidate -> candidate.getName().equals(operation))
            .findFirst()
            .orElseThrow();
    return new Actor(method, List.of(args));
  }

  /** The kind and version only: a refusal's current version shows which write it lost to. */
  private static String describe(Outcome<EntityVersion> outcome) {
    if (outcome.ok()) {
      return "WRITTEN " + outcome.value().version();
    }
    Refusal refusal = outcome.refusal();
    return refusal.current() == null
        ? refusal.kind().name()
        : refusal.kind() + " " + refusal.current().version();
  }

  private static String opId(int key, int slot) {
    return "op-" + key + "-" + slot;
  }

  /** A decision's reply as kinds and version numbers, with what it ended. */
  private static String describe(Decision decision) {
    Reply reply = decision.reply();
    String ended = " ended " + decision.changed().stream().filter(OpState::terminal)
        .map(op -> op.id() + ":" + op.status() + "/" + op.view().getRejectionReason()).toList();
    if (reply instanceof Reply.Started started) {
      return "STARTED " + started.snapshot().version() + ended;
    }
    if (reply instanceof Reply.Attempted attempted) {
      return attempted.outcome() + " " + attempted.op().status() + " retries " + attempted.op().retryCount()
          + (attempted.entity() == null ? "" : " v" + attempted.entity().version()) + ended;
    }
    if (reply instanceof Reply.Refused refused) {
      return refused.refusal().kind() + ended;
    }
    return reply.getClass().getSimpleName() + ended;
  }

  private static String describe(VersionRead read) {
    return read.entity() == null
        ? read.kind().name()
        : read.kind() + " " + read.entity().version() + " oldest " + read.oldestRetained();
  }

  /**
   * Fails the operation (Lincheck reports it with the interleaving) if a page is not a gap-free run
   * of versions each naming its predecessor, with strictly increasing stamps: properties that the
   * version numbers alone would not show.
   */
  private static void checkChained(List<Entity> versions) {
    for (int i = 1; i < versions.size(); i++) {
      Entity before = versions.get(i - 1);
      Entity after = versions.get(i);
      if (after.getVersion() != before.getVersion() + 1
          || !after.getPreviousEcsId().equals(before.getEcsId())
          || after.getLastModifiedNs() <= before.getLastModifiedNs()) {
        // Version numbers only: printing whole entities runs long enough under model checking to
        // be reported as a hang instead of as this failure.
        throw new IllegalStateException("history page is not a chain: " + versions(versions));
      }
    }
  }

  /**
   * Fails the operation if the lineage's entity events (created, versioned, deleted) are not in
   * strictly increasing version order in the log, or a versioned event does not follow the version
   * just before it. The events are appended inside the write's atomic step, so per lineage the log
   * order must be the write order. Only an assertion, never part of the result: an event is
   * appended after its version is published, so what a reader finds in the log is not linearizable
   * with the store's reads. A sequence claimed but not yet stored reads as null and is skipped.
   */
  private void checkEventsInVersionOrder(String lineageId) {
    long last = log.lastSequence();
    long previousVersion = 0;
    for (long sequence = 1; sequence <= last; sequence++) {
      LoggedEvent logged;
      try {
        logged = log.read(sequence);
      } catch (EventsLostException e) {
        throw new IllegalStateException(e.getMessage()); // 1024 events outlast any scenario
      }
      Event event = logged == null ? null : logged.event();
      if (event == null || !event.getTargetLineageId().equals(lineageId)) {
        continue;
      }
      long version;
      if (event.hasEntityCreated()) {
        version = event.getEntityCreated().getEntity().getVersion();
      } else if (event.hasEntityVersioned()) {
        version = event.getEntityVersioned().getNewVersion();
        if (event.getEntityVersioned().getOldVersion() != version - 1) {
          throw new IllegalStateException("event " + sequence + " skips from version "
              + event.getEntityVersioned().getOldVersion() + " to " + version);
        }
      } else if (event.hasEntityDeleted()) {
        version = event.getEntityDeleted().getVersion();
      } else {
        continue;
      }
      if (version <= previousVersion) {
        throw new IllegalStateException("event " + sequence + " has version " + version
            + " after version " + previousVersion);
      }
      previousVersion = version;
    }
  }
}
