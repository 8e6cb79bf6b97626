package dev.abstractions.server.store;

import com.google.inject.Injector;
import dev.abstractions.server.ServerModules;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.ops.CommandDriver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A durable server's stores over a data directory, through the real wiring, without its transport:
 * the driver, the store and the event log; closing closes its log (taking a snapshot, as a
 * stopping server does).
 */
final class DurableNode implements AutoCloseable {

  final Injector injector;
  final EntityStore store;
  final CommandDriver driver;
  final EventLog events;

  DurableNode(Path dataDir, long snapshotEvery, String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("--store", "durable", "--data-dir", dataDir.toString(),
        "--snapshot-every", Long.toString(snapshotEvery)));
    args.addAll(List.of(flags));
    injector = ServerModules.injector(ServerConfig.parse(args.toArray(String[]::new)));
    store = injector.getInstance(EntityStore.class);
    driver = injector.getInstance(CommandDriver.class);
    events = injector.getInstance(EventLog.class);
    store.start();
  }

  @Override
  public void close() throws Exception {
    driver.close();
    store.close();
  }
}
