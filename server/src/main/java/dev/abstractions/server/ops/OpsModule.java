package dev.abstractions.server.ops;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.abstractions.server.ops.functions.BuiltInFunctionsModule;
import dev.abstractions.server.ops.functions.ServerFunction;
import jakarta.inject.Named;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** Wires operations: the driver's scheduler and the server functions by name. */
public final class OpsModule extends AbstractModule {

  @Override
  protected void configure() {
    Multibinder.newSetBinder(binder(), ServerFunction.class);
    install(new BuiltInFunctionsModule());
  }

  /**
   * One named thread for operation deadlines, gate waits and server-side retry backoff, owned by
   * the {@link CommandDriver}, which shuts it down. Its threads start with the first task. Its
   * tasks only apply a command (microseconds), so one thread keeps up.
   */
  @Provides
  @Singleton
  @Named("ops")
  ScheduledExecutorService scheduler() {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "ops-scheduler");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.setRemoveOnCancelPolicy(true); // ended operations do not keep their expiry tasks
    return scheduler;
  }

  /** Server functions by name; two functions with one name is a wiring error. */
  @Provides
  @Singleton
  Map<String, ServerFunction> functionsByName(Set<ServerFunction> functions) {
    Map<String, ServerFunction> byName = new TreeMap<>();
    for (ServerFunction function : functions) {
      ServerFunction clash = byName.put(function.name(), function);
      if (clash != null) {
        throw new IllegalStateException("two server functions are named " + function.name() + ": "
            + clash.getClass().getName() + " and " + function.getClass().getName());
      }
    }
    return Map.copyOf(byName);
  }
}
