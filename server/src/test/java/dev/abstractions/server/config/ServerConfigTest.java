package dev.abstractions.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerConfigTest {

  @Test
  void defaultsServeADurableServerOnPort8980() {
    ServerConfig config = ServerConfig.parse();
    assertThat(config.port()).isEqualTo(8980);
    assertThat(config.store()).isEqualTo(ServerConfig.Store.durable);
    assertThat(config.dataDir()).isEqualTo(java.nio.file.Path.of("abstractions.data"));
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.historyLimit()).isEqualTo(100);
    assertThat(config.maxEntityBytes()).isEqualTo(262_144);
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void flagsOverrideDefaults() {
    ServerConfig config = ServerConfig.parse("--port", "0", "--history-limit", "7", "--shutdown-grace", "PT2S");
    assertThat(config.port()).isZero();
    assertThat(config.historyLimit()).isEqualTo(7);
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void invalidSettingsAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> ServerConfig.parse("--port", "70000"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--port");
    assertThatThrownBy(() -> ServerConfig.parse("--port", "eighty"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--port");
    assertThatThrownBy(() -> ServerConfig.parse("--history-limit", "0"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--history-limit");
    assertThatThrownBy(() -> ServerConfig.parse("--max-entity-bytes", "5000000"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--max-message-bytes");
    assertThatThrownBy(() -> ServerConfig.parse("--shutdown-grace", "soon"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--shutdown-grace");
    assertThatThrownBy(() -> ServerConfig.parse("--keepalive-time", "PT5S"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--keepalive-time must be at least PT10S, was PT5S");
    assertThatThrownBy(() -> ServerConfig.parse("--max-stream-resets", "0"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--max-stream-resets must be at least 1, was 0");
    assertThatThrownBy(() -> ServerConfig.parse("--stream-reset-window", "PT0.5S"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--stream-reset-window must be a whole number of seconds, at least PT1S, was PT0.5S");
    assertThatThrownBy(() -> ServerConfig.parse("--no-such-flag"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--no-such-flag");
  }

  @Test
  void environmentVariablesAndTheConfigFileFillWhatFlagsLeaveOut(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("server.properties");
    java.nio.file.Files.writeString(file, "history-limit=9\nevent-retention=500\nport=7000\n");
    String[] args = {"--config", file.toString(), "--port", "7100"};
    CommandLine commandLine = ServerConfig.commandLine(args, java.util.Map.of("ABSTRACTIONS_EVENT_RETENTION", "600"));
    commandLine.parseArgs(args);
    ServerConfig config = ServerConfig.checked(commandLine);

    assertThat(config.port()).as("flag beats file").isEqualTo(7100);
    assertThat(config.eventRetention()).as("environment beats file").isEqualTo(600);
    assertThat(config.historyLimit()).as("file beats default").isEqualTo(9);
    assertThat(config.maxSubscribers()).as("default").isEqualTo(1000);
  }

  @Test
  void everyOptionNamesItsEnvironmentVariableAndTheLogNeverShowsTokens() {
    CommandLine commandLine = ServerConfig.commandLine(new String[0], java.util.Map.of());
    for (CommandLine.Model.OptionSpec option : commandLine.getCommandSpec().options()) {
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      String env = "ABSTRACTIONS_" + option.longestName().substring(2).toUpperCase().replace('-', '_');
      assertThat(String.join(" ", option.description())).as(option.longestName()).contains("(" + env + ")");
    }
    ServerConfig config = ServerConfig.parse("--auth-tokens", "write:s3cret");
    assertThat(config.toString()).contains("auth-tokens=<redacted>").doesNotContain("s3cret");
  }

  @Test
  void aConfigFileWithATypoIsRefusedNamingTheSetting(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("server.properties");
    java.nio.file.Files.writeString(file, "histroy-limit=9\n");
    assertThatThrownBy(() -> ServerConfig.parse("--config", file.toString()))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("histroy-limit");
    assertThatThrownBy(() -> ServerConfig.parse("--store", "disk"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--store");
    assertThatThrownBy(() -> ServerConfig.parse("--tls-cert", dir.resolve("missing.pem").toString(),
        "--tls-key", dir.resolve("missing.key").toString()))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--tls-cert");
  }

  @Test
  void logSettingsComeFromFlagsOrTheEnvironmentInAnyCaseAndShowInTheHelp() {
    String[] none = new String[0];
    CommandLine fromEnvironment = ServerConfig.commandLine(none,
        java.util.Map.of("ABSTRACTIONS_LOG_FORMAT", "JSON", "ABSTRACTIONS_LOG_LEVEL", "warn"));
    fromEnvironment.parseArgs(none);
    ServerConfig configured = ServerConfig.checked(fromEnvironment);
    ServerConfig defaults = ServerConfig.parse();
    ServerConfig flags = ServerConfig.parse("--log-level", "Debug", "--log-format", "TEXT");

    assertThat(configured.logFormat()).isEqualTo(ServerConfig.LogFormat.json);
    assertThat(configured.logLevel()).isEqualTo(ServerConfig.LogLevel.WARN);
    assertThat(defaults.logFormat()).isEqualTo(ServerConfig.LogFormat.text);
    assertThat(defaults.logLevel()).isEqualTo(ServerConfig.LogLevel.INFO);
    assertThat(flags.logLevel()).isEqualTo(ServerConfig.LogLevel.DEBUG);
    assertThat(flags.logFormat()).isEqualTo(ServerConfig.LogFormat.text);
    // Help wraps descriptions; compare them as one line.
    String help = ServerConfig.commandLine(none, java.util.Map.of()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertThat(help.replaceAll("\\s+", " ")).contains(
        "--log-level=<logLevel> The least severe log events written: TRACE, DEBUG, INFO, WARN, ERROR, OFF, in any "
            + "case (ABSTRACTIONS_LOG_LEVEL). Default: INFO",
        "--log-format=<logFormat> Log lines as text, json (one object per line, ISO-8601 timestamps, every field "
            + "top-level), in any case (ABSTRACTIONS_LOG_FORMAT). Default: text");
    assertThatThrownBy(() -> ServerConfig.parse("--log-level", "loud"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("Invalid value for option '--log-level': expected one of [TRACE, DEBUG, INFO, WARN, ERROR, OFF] "
            + "(case-insensitive) but was 'loud'");
  }

  @Test
  void environmentVariablesWithThePrefixThatNameNoSettingAreReportedSorted() {
    java.util.Map<String, String> environment = java.util.Map.of(
        "ABSTRACTIONS_HISTORY_LIMIT", "5",
        "ABSTRACTIONS_HISTORY_LIMT", "5",
        "ABSTRACTIONS_AUTH_TOKEN", "write:x",
        "ABSTRACTIONSX", "1",
        "PATH", "/bin");
    CommandLine commandLine = ServerConfig.commandLine(new String[0], environment);
    commandLine.parseArgs();

    assertThat(ServerConfig.checked(commandLine).unknownEnvironmentVariables())
        .containsExactly("ABSTRACTIONS_AUTH_TOKEN", "ABSTRACTIONS_HISTORY_LIMT");
    assertThat(ServerConfig.parse().unknownEnvironmentVariables()).isEqualTo(
        System.getenv().keySet().stream().filter(name -> name.startsWith("ABSTRACTIONS_")).sorted().toList());
  }

  @Test
  void settingsAreEveryOptionByNameWithNumbersAsNumbersTheRestAsTextAndSecretsRedacted() {
    java.util.Map<String, Object> settings = ServerConfig.parse("--history-limit", "7", "--auth-tokens", "write:s3cret")
        .settings();

    assertThat(settings).containsEntry("history-limit", 7)
        .containsEntry("keepalive-time", "PT2H")
        .containsEntry("log-format", "text")
        .containsEntry("auth-tokens", "<redacted>")
        .containsEntry("tls-cert", null)
        .doesNotContainKeys("help", "version");
    assertThat(settings.keySet()).startsWith("config", "host", "port", "metrics-port");
  }
}
