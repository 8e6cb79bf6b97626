package dev.abstractions.server.config;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The server's settings, from command-line flags with environment-variable fallbacks
 * ({@code ABSTRACTIONS_*}). Populated once by {@link #parse} and read-only afterwards.
 */
@Command(
    name = "abstractions-server",
    mixinStandardHelpOptions = true,
    version = "Abstractions Entity Server 0.1.0",
    sortOptions = false,
    showDefaultValues = true,
    description = "Serves versioned, immutable entities over gRPC with compare-and-set writes.",
    footer = "Every option can also be set by the environment variable shown in its description.")
public final class ServerConfig {

  @Option(
      names = "--host",
      defaultValue = "${env:ABSTRACTIONS_HOST:-0.0.0.0}",
      description = "Address to listen on (ABSTRACTIONS_HOST).")
  private String host;

  @Option(
      names = "--port",
      defaultValue = "${env:ABSTRACTIONS_PORT:-8980}",
      description = "gRPC port; 0 picks a free one (ABSTRACTIONS_PORT).")
  private int port;

  @Option(
      names = "--history-limit",
      defaultValue = "${env:ABSTRACTIONS_HISTORY_LIMIT:-100}",
      description = "Versions kept per lineage, latest included (ABSTRACTIONS_HISTORY_LIMIT).")
  private int historyLimit;

  @Option(
      names = "--max-entity-bytes",
      defaultValue = "${env:ABSTRACTIONS_MAX_ENTITY_BYTES:-262144}",
      description = "Largest entity data, serialized (ABSTRACTIONS_MAX_ENTITY_BYTES).")
  private int maxEntityBytes;

  @Option(
      names = "--max-message-bytes",
      defaultValue = "${env:ABSTRACTIONS_MAX_MESSAGE_BYTES:-4194304}",
      description = "Largest inbound gRPC message (ABSTRACTIONS_MAX_MESSAGE_BYTES).")
  private int maxMessageBytes;

  @Option(
      names = "--event-retention",
      defaultValue = "${env:ABSTRACTIONS_EVENT_RETENTION:-100000}",
      description = "Events kept for subscribers to resume from (ABSTRACTIONS_EVENT_RETENTION).")
  private int eventRetention;

  @Option(
      names = "--event-retention-age",
      defaultValue = "${env:ABSTRACTIONS_EVENT_RETENTION_AGE:-PT1H}",
      description = "Oldest event kept, ISO-8601 (ABSTRACTIONS_EVENT_RETENTION_AGE).")
  private Duration eventRetentionAge;

  @Option(
      names = "--max-subscribers",
      defaultValue = "${env:ABSTRACTIONS_MAX_SUBSCRIBERS:-1000}",
      description = "Event subscribers served at once (ABSTRACTIONS_MAX_SUBSCRIBERS).")
  private int maxSubscribers;

  @Option(
      names = "--progress-interval",
      defaultValue = "${env:ABSTRACTIONS_PROGRESS_INTERVAL:-PT1S}",
      description = "How often a quiet or filtered stream gets a Progress bookmark, ISO-8601 "
          + "(ABSTRACTIONS_PROGRESS_INTERVAL).")
  private Duration progressInterval;

  @Option(
      names = "--operation-retention",
      defaultValue = "${env:ABSTRACTIONS_OPERATION_RETENTION:-10000}",
      description = "Ended operations kept readable (ABSTRACTIONS_OPERATION_RETENTION).")
  private int operationRetention;

  @Option(
      names = "--operation-retention-age",
      defaultValue = "${env:ABSTRACTIONS_OPERATION_RETENTION_AGE:-PT5M}",
      description = "How long ended operations stay readable, ISO-8601 (ABSTRACTIONS_OPERATION_RETENTION_AGE).")
  private Duration operationRetentionAge;

  @Option(
      names = "--request-retention",
      defaultValue = "${env:ABSTRACTIONS_REQUEST_RETENTION:-10000}",
      description = "Request ids remembered for idempotent replay (ABSTRACTIONS_REQUEST_RETENTION).")
  private int requestRetention;

  @Option(
      names = "--request-retention-age",
      defaultValue = "${env:ABSTRACTIONS_REQUEST_RETENTION_AGE:-PT10M}",
      description = "How long a request id is remembered, ISO-8601 (ABSTRACTIONS_REQUEST_RETENTION_AGE).")
  private Duration requestRetentionAge;

  @Option(
      names = "--shutdown-grace",
      defaultValue = "${env:ABSTRACTIONS_SHUTDOWN_GRACE:-PT10S}",
      description = "How long shutdown waits for in-flight calls, ISO-8601 (ABSTRACTIONS_SHUTDOWN_GRACE).")
  private Duration shutdownGrace;

  private ServerConfig() {}

  /**
   * Parses and checks {@code args}.
   *
   * @throws CommandLine.ParameterException naming the offending setting
   */
  public static ServerConfig parse(String... args) {
    CommandLine commandLine = commandLine();
    commandLine.parseArgs(args);
    return checked(commandLine);
  }

  /** A command line to parse arguments with; it can also print help and version. */
  public static CommandLine commandLine() {
    return new CommandLine(new ServerConfig());
  }

  /**
   * The configuration a {@link #commandLine()} parsed, once checked.
   *
   * @throws CommandLine.ParameterException naming the offending setting
   */
  public static ServerConfig checked(CommandLine parsed) {
    ServerConfig config = parsed.getCommand();
    config.check(parsed);
    return config;
  }

  private void check(CommandLine commandLine) {
    require(commandLine, port >= 0 && port <= 65535, "--port must be 0..65535, was " + port);
    require(commandLine, historyLimit >= 1, "--history-limit must be at least 1, was " + historyLimit);
    require(commandLine, maxEntityBytes >= 1, "--max-entity-bytes must be at least 1, was " + maxEntityBytes);
    require(
        commandLine,
        maxMessageBytes > maxEntityBytes,
        "--max-message-bytes (" + maxMessageBytes + ") must exceed --max-entity-bytes (" + maxEntityBytes + ")");
    require(commandLine, eventRetention >= 1 && eventRetention <= (1 << 26),
        "--event-retention must be 1.." + (1 << 26) + ", was " + eventRetention);
    require(commandLine, positive(eventRetentionAge), "--event-retention-age must be positive, was " + eventRetentionAge);
    require(commandLine, maxSubscribers >= 0, "--max-subscribers must not be negative, was " + maxSubscribers);
    require(commandLine, positive(progressInterval), "--progress-interval must be positive, was " + progressInterval);
    require(commandLine, operationRetention >= 0, "--operation-retention must not be negative, was " + operationRetention);
    require(commandLine, positive(operationRetentionAge),
        "--operation-retention-age must be positive, was " + operationRetentionAge);
    require(commandLine, requestRetention >= 0, "--request-retention must not be negative, was " + requestRetention);
    require(commandLine, positive(requestRetentionAge),
        "--request-retention-age must be positive, was " + requestRetentionAge);
    require(
        commandLine,
        !shutdownGrace.isNegative(),
        "--shutdown-grace must not be negative, was " + shutdownGrace);
  }

  private static boolean positive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }

  private static void require(CommandLine commandLine, boolean ok, String message) {
    if (!ok) {
      throw new CommandLine.ParameterException(commandLine, message);
    }
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public int historyLimit() {
    return historyLimit;
  }

  public int maxEntityBytes() {
    return maxEntityBytes;
  }

  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  public int eventRetention() {
    return eventRetention;
  }

  public Duration eventRetentionAge() {
    return eventRetentionAge;
  }

  public int maxSubscribers() {
    return maxSubscribers;
  }

  public Duration progressInterval() {
    return progressInterval;
  }

  public int operationRetention() {
    return operationRetention;
  }

  public Duration operationRetentionAge() {
    return operationRetentionAge;
  }

  public int requestRetention() {
    return requestRetention;
  }

  public Duration requestRetentionAge() {
    return requestRetentionAge;
  }

  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  @Override
  public String toString() {
    return "host=" + host + " port=" + port + " history-limit=" + historyLimit
        + " max-entity-bytes=" + maxEntityBytes + " max-message-bytes=" + maxMessageBytes
        + " event-retention=" + eventRetention + " event-retention-age=" + eventRetentionAge
        + " max-subscribers=" + maxSubscribers + " progress-interval=" + progressInterval
        + " operation-retention=" + operationRetention + " operation-retention-age=" + operationRetentionAge
        + " request-retention=" + requestRetention + " request-retention-age=" + requestRetentionAge
        + " shutdown-grace=" + shutdownGrace;
  }
}
