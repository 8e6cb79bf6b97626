package dev.abstractions.server;

import dev.abstractions.server.config.ServerConfig;
import java.io.IOException;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;

/**
 * Entry point: parses flags, starts the server, stops it gracefully on SIGTERM/SIGINT, and ends the
 * process with {@link FatalErrorHandler#EXIT_CODE} if a thread dies or memory runs out.
 */
public final class Main {

  /**
   * The system properties that set the buffer leak detection of the two Netty copies the server
   * runs: grpc-java's (clients' calls) and Ratis's (a replicated or durable store's log).
   */
  static final List<String> LEAK_DETECTION_PROPERTIES = List.of(
      "io.grpc.netty.shaded.io.netty.leakDetection.level",
      "org.apache.ratis.thirdparty.io.netty.leakDetection.level");

  private Main() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    leakDetectionOffUnlessSet(System.getProperties());
    ServerConfig config;
    try {
      CommandLine commandLine = ServerConfig.commandLine(args, System.getenv());
      commandLine.parseArgs(args);
      if (commandLine.isUsageHelpRequested()) {
        commandLine.usage(System.out);
        return;
      }
      if (commandLine.isVersionHelpRequested()) {
        commandLine.printVersionHelp(System.out);
        return;
      }
      config = ServerConfig.checked(commandLine);
    } catch (CommandLine.ParameterException e) {
      System.err.println("abstractions-server: " + e.getMessage());
      System.err.println("Run with --help for the options.");
      System.exit(2);
      return;
    }

    Logging.configure(config.logLevel(), config.logFormat());
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Logger log = LoggerFactory.getLogger(Main.class);
    List<String> unknown = config.unknownEnvironmentVariables();
    if (!unknown.isEmpty()) {
      log.atWarn().addKeyValue("variables", String.join(",", unknown))
          .log("ignoring environment variables that name no setting (see --help): {}", String.join(", ", unknown));
    }

    EntityServer server;
    try {
      server = ServerModules.server(config);
      // Before any of the server's threads start, so that none can die unnoticed.
      Thread.setDefaultUncaughtExceptionHandler(new FatalErrorHandler(server::reportNotServing));
      server.start();
    } catch (com.google.inject.ProvisionException | com.google.inject.CreationException
        | java.io.UncheckedIOException | IOException e) {
      // Settings that parse but cannot be used (unreadable TLS files, malformed tokens, busy port).
      System.err.println("abstractions-server: cannot start: " + startFailure(e));
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutdown requested");
      try {
        server.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        log.error("shutdown failed", e);
      }
    }, "shutdown"));
    server.awaitTermination();
  }

  /**
   * Turns Netty's buffer leak detection off, unless the operator set its level (say {@code
   * -Dio.grpc.netty.shaded.io.netty.leakDetection.level=simple} to look for a leak). Netty's default
   * samples one buffer in 128 and records a stack trace for it on every touch: 5% of the server's CPU
   * under load (perf, 2026-12-02). It is a debugging aid; the tests run with it on. Must run before
   * Netty's first buffer, which reads the setting once.
   */
  static void leakDetectionOffUnlessSet(Properties properties) {
    for (String property : LEAK_DETECTION_PROPERTIES) {
      properties.putIfAbsent(property, "disabled");
    }
  }

  /**
   * One line saying why the server cannot start. Guice wraps a provider's failure in a report of
   * its own (numbered errors, source lines, a legend); the message that names the setting is the
   * innermost one starting with {@code --}, else the root cause's.
   */
  static String startFailure(Throwable failure) {
    Throwable named = null;
    Throwable cause = failure;
    while (true) {
      if (cause.getMessage() != null && cause.getMessage().startsWith("--")) {
        named = cause;
      }
      if (cause.getCause() == null || cause.getCause() == cause) {
        break;
      }
      cause = cause.getCause();
    }
    Throwable chosen = named != null ? named : cause;
    String message = chosen.getMessage() != null ? chosen.getMessage() : chosen.toString();
    return message.lines().findFirst().orElse(chosen.toString());
  }
}
