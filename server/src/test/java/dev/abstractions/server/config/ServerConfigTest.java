package dev.abstractions.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerConfigTest {

  @Test
  void defaultsServeAnEmbeddedInMemoryServerOnPort8980() {
    ServerConfig config = ServerConfig.parse();
    assertThat(config.port()).isEqualTo(8980);
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
    assertThatThrownBy(() -> ServerConfig.parse("--no-such-flag"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--no-such-flag");
  }
}
