package dev.abstractions.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The server's settings. Each comes, first found wins, from its command-line flag, its environment
 * variable ({@code --history-limit} reads {@code ABSTRACTIONS_HISTORY_LIMIT}), the config file
 * ({@code --config}, a properties file keyed by flag names without dashes, e.g.
 * {@code history-limit=50}), or its default. Populated once by {@link #parse} and read-only
 * afterwards.
 */
@Command(
    name = "abstractions-server",
    mixinStandardHelpOptions = true,
    version = "Abstractions Entity Server 0.1.0",
    sortOptions = false,
    showDefaultValues = true,
    description = "Serves versioned, immutable entities over gRPC with compare-and-set writes and "
        + "prioritized, server-arbitrated operations.",
    footer = {
      "",
      "Every option can also be set by the environment variable named in its description, or in the",
      "--config file as a property named like the flag without dashes (e.g. history-limit=50).",
      "Precedence: flag, environment variable, config file, default."
    })
public final class ServerConfig {

  /** The shortest server keepalive time grpc-java honours. */
  static final Duration MIN_KEEPALIVE_TIME = Duration.ofSeconds(10);

  /** Where entities are kept. */
  public enum Store {
    /** In this process only: lost on restart (tests, benchmarks, ephemeral use). */
    memory,
    /** In a Raft log and snapshots under --data-dir: every acknowledged write survives a crash. */
    durable
  }

  /** The least severe log events written. */
  public enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    OFF
  }

  /** How log events are written to standard output. */
  public enum LogFormat {
    /** A line of text with key="value" pairs. */
    text,
    /** One JSON object per line, every key-value pair a top-level field (for log shippers). */
    json
  }

  @Option(names = "--config", description = "Properties file with settings (ABSTRACTIONS_CONFIG).")
  private Path config;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (ABSTRACTIONS_HOST).")
  private String host;

  @Option(names = "--port", defaultValue = "8980", description = "gRPC port; 0 picks a free one (ABSTRACTIONS_PORT).")
  private int port;

  @Option(
      names = "--metrics-port",
      defaultValue = "9464",
      description = "Prometheus /metrics HTTP port; 0 picks a free one, -1 turns metrics off "
          + "(ABSTRACTIONS_METRICS_PORT).")
  private int metricsPort;

  @Option(
      names = "--store",
      defaultValue = "durable",
      description = "Entity store: durable (a Raft log and snapshots in --data-dir; acknowledged writes survive a "
          + "crash) or memory (lost on restart) (ABSTRACTIONS_STORE).")
  private Store store;

  @Option(
      names = "--data-dir",
      defaultValue = "abstractions.data",
      description = "Directory of the durable store's log and snapshots, created if missing; the server logs its "
          + "absolute path at start (ABSTRACTIONS_DATA_DIR).")
  private Path dataDir;

  @Option(
      names = "--log-segment-bytes",
      defaultValue = "33554432",
      description = "Size of one durable-store log file (segment); after a snapshot, whole segments before it are "
          + "deleted, so smaller segments give disk back sooner; the segment being written is also kept in the heap, "
          + "outside --max-memory (ABSTRACTIONS_LOG_SEGMENT_BYTES).")
  private long logSegmentBytes;

  @Option(
      names = "--min-free-disk",
      defaultValue = "268435456",
      description = "Bytes the durable store keeps free in --data-dir: below it, writes are refused with "
          + "RESOURCE_EXHAUSTED (DISK_FULL) before they reach the log, while reads and deletes go on; keep it above "
          + "the size of a snapshot (ABSTRACTIONS_MIN_FREE_DISK).")
  private long minFreeDisk;

  @Option(
      names = "--node-id",
      defaultValue = "n1",
      description = "This member's id in --peers (ABSTRACTIONS_NODE_ID).")
  private String nodeId;

  @Option(
      names = "--peers",
      defaultValue = "",
      description = "The durable store's replicated group: id=host:port of every member's Raft port, this one "
          + "included, comma-separated (e.g. n1=db1:8990,n2=db2:8990,n3=db3:8990); writes are committed on a "
          + "majority before they are acknowledged. Empty: a single node (ABSTRACTIONS_PEERS).")
  private String peers;

  @Option(
      names = "--snapshot-every",
      defaultValue = "10000",
      description = "Log entries that change something between two snapshots of the durable store (a group's read "
          + "barriers and commit notices do not count); older log segments are deleted after a snapshot, so this bounds "
          + "the log on disk and the replay at start; a group keeps the last this many log entries besides (read barriers and "
          + "commit notices among them), for a follower a little behind (ABSTRACTIONS_SNAPSHOT_EVERY).")
  private long snapshotEvery;

  @Option(
      names = "--history-limit",
      defaultValue = "100",
      description = "Versions kept per lineage, latest included (ABSTRACTIONS_HISTORY_LIMIT).")
  private int historyLimit;

  @Option(
      names = "--max-entity-bytes",
      defaultValue = "262144",
      description = "Largest entity data, serialized (ABSTRACTIONS_MAX_ENTITY_BYTES).")
  private int maxEntityBytes;

  @Option(
      names = "--max-message-bytes",
      defaultValue = "4194304",
      description = "Largest inbound gRPC message (ABSTRACTIONS_MAX_MESSAGE_BYTES).")
  private int maxMessageBytes;

  @Option(
      names = "--max-memory",
      defaultValue = "0",
      description = "Memory budget in bytes for stored versions, history, the event log, operations, remembered "
          + "requests and subscriptions; a write past it is refused with RESOURCE_EXHAUSTED while reads go on, "
          + "and the event log gives up its oldest events first; 0 means 70%% of the JVM's maximum heap "
          + "(ABSTRACTIONS_MAX_MEMORY).")
  private long maxMemory;

  @Option(
      names = "--max-calls-per-connection",
      defaultValue = "1000",
      description = "Concurrent calls (streams) one connection may have open (ABSTRACTIONS_MAX_CALLS_PER_CONNECTION).")
  private int maxCallsPerConnection;

  @Option(
      names = "--max-operations-per-target",
      defaultValue = "1000",
      description = "Operations in flight on one entity at once (ABSTRACTIONS_MAX_OPERATIONS_PER_TARGET).")
  private int maxOperationsPerTarget;

  @Option(
      names = "--max-tree-members",
      defaultValue = "10000",
      description = "Live members one entity tree may have, its root included; a write past it is refused with "
          + "RESOURCE_EXHAUSTED TREE_LIMIT (ABSTRACTIONS_MAX_TREE_MEMBERS).")
  private int maxTreeMembers;

  @Option(
      names = "--max-tree-bytes",
      defaultValue = "67108864",
      description = "Encoded bytes of one entity tree's live members' latest versions; a write past it is refused "
          + "with RESOURCE_EXHAUSTED TREE_LIMIT (ABSTRACTIONS_MAX_TREE_BYTES).")
  private long maxTreeBytes;

  @Option(
      names = "--max-client-share",
      defaultValue = "1.0",
      description = "The share, 0 < share <= 1, of --max-subscribers and of one target's --max-operations-per-target "
          + "that one client (a token, or a connection without tokens) may hold; e.g. 0.25 keeps one client from "
          + "taking more than a quarter (ABSTRACTIONS_MAX_CLIENT_SHARE).")
  private double maxClientShare;

  @Option(
      names = "--max-subscribers",
      defaultValue = "1000",
      description = "Event subscribers served at once (ABSTRACTIONS_MAX_SUBSCRIBERS).")
  private int maxSubscribers;

  @Option(
      names = "--keepalive-time",
      defaultValue = "PT2H",
      description = "Quiet time after which the server pings a connection with calls in flight, ISO-8601, "
          + "at least PT10S (gRPC's floor) (ABSTRACTIONS_KEEPALIVE_TIME).")
  private Duration keepaliveTime;

  @Option(
      names = "--permit-keepalive-time",
      defaultValue = "PT20S",
      description = "Shortest ping interval a client may use before it is disconnected, ISO-8601 "
          + "(ABSTRACTIONS_PERMIT_KEEPALIVE_TIME).")
  private Duration permitKeepaliveTime;

  @Option(
      names = "--gate-lease",
      defaultValue = "PT5S",
      description = "How long an operation that owns its target's gate may stay silent (no Commit or KeepAlive) "
          + "before it is expired and the gate passes on, ISO-8601 (ABSTRACTIONS_GATE_LEASE).")
  private Duration gateLease;

  @Option(
      names = "--max-stream-resets",
      defaultValue = "200",
      description = "Stream resets (HTTP/2 RST_STREAM, either way) one connection may have within "
          + "--stream-reset-window; one more and it is sent GOAWAY ENHANCE_YOUR_CALM and closed, against "
          + "rapid-reset floods (ABSTRACTIONS_MAX_STREAM_RESETS).")
  private int maxStreamResets;

  @Option(
      names = "--stream-reset-window",
      defaultValue = "PT10S",
      description = "The window --max-stream-resets counts in, ISO-8601, whole seconds "
          + "(ABSTRACTIONS_STREAM_RESET_WINDOW).")
  private Duration streamResetWindow;

  @Option(
      names = "--event-retention",
      defaultValue = "100000",
      description = "Events kept for subscribers to resume from (ABSTRACTIONS_EVENT_RETENTION).")
  private int eventRetention;

  @Option(
      names = "--event-retention-age",
      defaultValue = "PT1H",
      description = "Oldest event kept, ISO-8601 (ABSTRACTIONS_EVENT_RETENTION_AGE).")
  private Duration eventRetentionAge;

  @Option(
      names = "--progress-interval",
      defaultValue = "PT1S",
      description = "How often a quiet or filtered stream gets a Progress bookmark, ISO-8601 "
          + "(ABSTRACTIONS_PROGRESS_INTERVAL).")
  private Duration progressInterval;

  @Option(
      names = "--operation-retention",
      defaultValue = "10000",
      description = "Ended operations kept readable (ABSTRACTIONS_OPERATION_RETENTION).")
  private int operationRetention;

  @Option(
      names = "--operation-retention-age",
      defaultValue = "PT5M",
      description = "How long ended operations stay readable, ISO-8601 (ABSTRACTIONS_OPERATION_RETENTION_AGE).")
  private Duration operationRetentionAge;

  @Option(
      names = "--request-retention",
      defaultValue = "10000",
      description = "Request ids remembered for idempotent replay, in the store's state (its log and snapshots); "
          + "give every member of a group the same value (ABSTRACTIONS_REQUEST_RETENTION).")
  private int requestRetention;

  @Option(
      names = "--request-retention-age",
      defaultValue = "PT10M",
      description = "How long a request id is remembered, ISO-8601, in command time; give every member of a group "
          + "the same value (ABSTRACTIONS_REQUEST_RETENTION_AGE).")
  private Duration requestRetentionAge;

  @Option(names = "--tls-cert", description = "Server certificate chain, PEM; turns TLS on (ABSTRACTIONS_TLS_CERT).")
  private Path tlsCert;

  @Option(names = "--tls-key", description = "Server private key, PEM (ABSTRACTIONS_TLS_KEY).")
  private Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      description = "CA certificates, PEM: clients must present a certificate they signed (mutual TLS) "
          + "(ABSTRACTIONS_TLS_CLIENT_CA).")
  private Path tlsClientCa;

  @Option(
      names = "--auth-tokens-file",
      description = "Bearer tokens, one 'read:TOKEN' or 'write:TOKEN' per line; turns auth on "
          + "(ABSTRACTIONS_AUTH_TOKENS_FILE).")
  private Path authTokensFile;

  @Option(
      names = "--auth-tokens",
      description = "Bearer tokens as 'read:TOKEN,write:TOKEN'; prefer the environment variable to keep them "
          + "out of process listings (ABSTRACTIONS_AUTH_TOKENS).")
  private String authTokens;

  @Option(
      names = "--shutdown-grace",
      defaultValue = "PT10S",
      description = "How long shutdown waits for in-flight calls, ISO-8601 (ABSTRACTIONS_SHUTDOWN_GRACE).")
  private Duration shutdownGrace;

  @Option(
      names = "--log-level",
      defaultValue = "INFO",
      description = "The least severe log events written: ${COMPLETION-CANDIDATES}, in any case (ABSTRACTIONS_LOG_LEVEL).")
  private LogLevel logLevel;

  @Option(
      names = "--log-format",
      defaultValue = "text",
      description = "Log lines as ${COMPLETION-CANDIDATES} (one object per line, ISO-8601 timestamps, every field "
          + "top-level), in any case (ABSTRACTIONS_LOG_FORMAT).")
  private LogFormat logFormat;

  /** ABSTRACTIONS_* variables of the environment that name no setting, sorted. */
  private List<String> unknownEnvironmentVariables = List.of();

  private ServerConfig() {}

  /**
   * Parses and checks {@code args}, with this process's environment.
   *
   * @throws CommandLine.ParameterException naming the offending setting
   */
  public static ServerConfig parse(String... args) {
    CommandLine commandLine = commandLine(args, System.getenv());
    commandLine.parseArgs(args);
    return checked(commandLine);
  }

  /**
   * A command line to parse {@code args} with, reading settings not on it from {@code environment}
   * and the config file; it can also print help and version.
   *
   * @throws CommandLine.ParameterException if the config file cannot be read
   */
  public static CommandLine commandLine(String[] args, Map<String, String> environment) {
    ServerConfig config = new ServerConfig();
    // Enum settings in any case: ABSTRACTIONS_LOG_FORMAT=JSON is json.
    CommandLine commandLine = new CommandLine(config).setCaseInsensitiveEnumValuesAllowed(true);
    SettingSources sources = SettingSources.load(commandLine, args, environment);
    commandLine.setDefaultValueProvider(sources);
    config.unknownEnvironmentVariables = sources.unknownVariables(commandLine.getCommandSpec());
    return commandLine;
  }

  /**
   * The configuration a {@link #commandLine} parsed, once checked.
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
    require(commandLine, metricsPort >= -1 && metricsPort <= 65535, "--metrics-port must be -1..65535, was " + metricsPort);
    require(commandLine, metricsPort <= 0 || metricsPort != port, "--metrics-port must differ from --port (" + port + ")");
    require(commandLine, historyLimit >= 1, "--history-limit must be at least 1, was " + historyLimit);
    require(commandLine, snapshotEvery >= 1, "--snapshot-every must be at least 1, was " + snapshotEvery);
    require(commandLine, logSegmentBytes >= 65536 && logSegmentBytes <= (1L << 31),
        "--log-segment-bytes must be 65536 to 2147483648, was " + logSegmentBytes);
    require(commandLine, nodeId.matches("[A-Za-z0-9_-]{1,64}"),
        "--node-id must be 1 to 64 letters, digits, '-' or '_', was '" + nodeId + "'");
    if (!peers.isBlank()) {
      for (String member : peers.split(",")) {
        require(commandLine, member.trim().matches("[A-Za-z0-9_-]{1,64}=[^=:,\\s]+:\\d{1,5}"),
            "--peers must be id=host:port,..., was '" + member.trim() + "'");
      }
      java.util.Map<String, String> members = peers();
      require(commandLine, members.size() == peers.split(",").length, "--peers names a member twice");
      require(commandLine, members.containsKey(nodeId), "--peers must include --node-id " + nodeId);
      require(commandLine, store == Store.durable, "--peers needs --store durable");
    }
    require(commandLine, store != Store.durable || !Files.exists(dataDir) || Files.isDirectory(dataDir),
        "--data-dir " + dataDir + " exists and is not a directory");
    require(commandLine, maxEntityBytes >= 1, "--max-entity-bytes must be at least 1, was " + maxEntityBytes);
    require(commandLine, maxMessageBytes > maxEntityBytes,
        "--max-message-bytes (" + maxMessageBytes + ") must exceed --max-entity-bytes (" + maxEntityBytes + ")");
    require(commandLine, maxMemory >= 0, "--max-memory must not be negative, was " + maxMemory);
    require(commandLine, minFreeDisk >= 0, "--min-free-disk must not be negative, was " + minFreeDisk);
    require(commandLine, maxCallsPerConnection >= 1,
        "--max-calls-per-connection must be at least 1, was " + maxCallsPerConnection);
    require(commandLine, maxOperationsPerTarget >= 1,
        "--max-operations-per-target must be at least 1, was " + maxOperationsPerTarget);
    require(commandLine, maxTreeMembers >= 1, "--max-tree-members must be at least 1, was " + maxTreeMembers);
    require(commandLine, maxTreeBytes >= maxEntityBytes,
        "--max-tree-bytes (" + maxTreeBytes + ") must be at least --max-entity-bytes (" + maxEntityBytes + ")");
    require(commandLine, maxClientShare > 0 && maxClientShare <= 1,
        "--max-client-share must be more than 0 and at most 1, was " + maxClientShare);
    require(commandLine, maxSubscribers >= 0, "--max-subscribers must not be negative, was " + maxSubscribers);
    // grpc-java silently raises anything shorter to 10 seconds; say so instead of pretending.
    require(commandLine, keepaliveTime.compareTo(MIN_KEEPALIVE_TIME) >= 0,
        "--keepalive-time must be at least " + MIN_KEEPALIVE_TIME + ", was " + keepaliveTime);
    require(commandLine, positive(permitKeepaliveTime), "--permit-keepalive-time must be positive, was " + permitKeepaliveTime);
    require(commandLine, maxStreamResets >= 1, "--max-stream-resets must be at least 1, was " + maxStreamResets);
    // grpc-java counts the window in whole seconds.
    require(commandLine, streamResetWindow.compareTo(Duration.ofSeconds(1)) >= 0 && streamResetWindow.toNanosPart() == 0
            && streamResetWindow.getSeconds() <= Integer.MAX_VALUE,
        "--stream-reset-window must be a whole number of seconds, at least PT1S, was " + streamResetWindow);
    require(commandLine, eventRetention >= 1 && eventRetention <= (1 << 26),
        "--event-retention must be 1.." + (1 << 26) + ", was " + eventRetention);
    require(commandLine, positive(gateLease), "--gate-lease must be positive, was " + gateLease);
    require(commandLine, positive(eventRetentionAge), "--event-retention-age must be positive, was " + eventRetentionAge);
    require(commandLine, positive(progressInterval), "--progress-interval must be positive, was " + progressInterval);
    require(commandLine, operationRetention >= 0, "--operation-retention must not be negative, was " + operationRetention);
    require(commandLine, positive(operationRetentionAge),
        "--operation-retention-age must be positive, was " + operationRetentionAge);
    require(commandLine, requestRetention >= 0, "--request-retention must not be negative, was " + requestRetention);
    require(commandLine, positive(requestRetentionAge),
        "--request-retention-age must be positive, was " + requestRetentionAge);
    require(commandLine, !shutdownGrace.isNegative(), "--shutdown-grace must not be negative, was " + shutdownGrace);
    require(commandLine, (tlsCert == null) == (tlsKey == null), "--tls-cert and --tls-key go together");
    require(commandLine, tlsClientCa == null || tlsCert != null, "--tls-client-ca needs --tls-cert and --tls-key");
    readable(commandLine, "--tls-cert", tlsCert);
    readable(commandLine, "--tls-key", tlsKey);
    readable(commandLine, "--tls-client-ca", tlsClientCa);
    readable(commandLine, "--auth-tokens-file", authTokensFile);
  }

  private static void readable(CommandLine commandLine, String option, Path file) {
    require(commandLine, file == null || Files.isReadable(file), option + " file " + file + " cannot be read");
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

  /** The memory budget in bytes: {@code --max-memory}, or 70% of the maximum heap when that is 0. */
  public long maxMemoryBytes() {
    return maxMemory > 0 ? maxMemory : (long) (Runtime.getRuntime().maxMemory() * 0.7);
  }

  /** How many of one target's operation slots one client may hold: its share, at least one. */
  public int maxOperationsPerClient() {
    return Math.max(1, (int) Math.ceil(maxClientShare * maxOperationsPerTarget));
  }

  /** How many subscriptions one client may hold: its share, at least one. */
  public int maxSubscribersPerClient() {
    return Math.max(1, (int) Math.ceil(maxClientShare * maxSubscribers));
  }

  public Duration gateLease() {
    return gateLease;
  }

  public int metricsPort() {
    return metricsPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  public long logSegmentBytes() {
    return logSegmentBytes;
  }

  public long minFreeDiskBytes() {
    return minFreeDisk;
  }

  public String nodeId() {
    return nodeId;
  }

  /** --peers as id to host:port, in the order given; empty for a single node. */
  public java.util.LinkedHashMap<String, String> peers() {
    java.util.LinkedHashMap<String, String> members = new java.util.LinkedHashMap<>();
    if (peers.isBlank()) {
      return members;
    }
    for (String member : peers.split(",")) {
      int equals = member.indexOf('=');
      members.put(member.substring(0, Math.max(0, equals)).trim(), member.substring(equals + 1).trim());
    }
    return members;
  }

  public long snapshotEvery() {
    return snapshotEvery;
  }

  public Store store() {
    return store;
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

  public int maxCallsPerConnection() {
    return maxCallsPerConnection;
  }

  public int maxOperationsPerTarget() {
    return maxOperationsPerTarget;
  }

  public int maxTreeMembers() {
    return maxTreeMembers;
  }

  public long maxTreeBytes() {
    return maxTreeBytes;
  }

  public int maxSubscribers() {
    return maxSubscribers;
  }

  public Duration keepaliveTime() {
    return keepaliveTime;
  }

  public Duration permitKeepaliveTime() {
    return permitKeepaliveTime;
  }

  public int maxStreamResets() {
    return maxStreamResets;
  }

  public Duration streamResetWindow() {
    return streamResetWindow;
  }

  public int eventRetention() {
    return eventRetention;
  }

  public Duration eventRetentionAge() {
    return eventRetentionAge;
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

  /** Null when TLS is off. */
  public Path tlsCert() {
    return tlsCert;
  }

  public Path tlsKey() {
    return tlsKey;
  }

  /** Null unless clients must present certificates. */
  public Path tlsClientCa() {
    return tlsClientCa;
  }

  public Path authTokensFile() {
    return authTokensFile;
  }

  /** Secret: never log it. */
  public String authTokens() {
    return authTokens;
  }

  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  public LogLevel logLevel() {
    return logLevel;
  }

  public LogFormat logFormat() {
    return logFormat;
  }

  /**
   * The environment's {@code ABSTRACTIONS_*} variables that name no setting (a typo, or one meant
   * for another program), sorted: the server ignores them.
   */
  public List<String> unknownEnvironmentVariables() {
    return unknownEnvironmentVariables;
  }

  /** Every setting by its flag's name without dashes, in the order of {@code --help}, secrets redacted: safe to log. */
  public Map<String, Object> settings() {
    return SettingSources.settings(new CommandLine(this));
  }

  /** Every setting as {@code name=value}, secrets redacted: safe to log. */
  @Override
  public String toString() {
    return SettingSources.describe(new CommandLine(this));
  }
}
