package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.server.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real entry point, in its own process: a bad setting, from a flag or the environment, or a
 * setting that cannot be used, exits 2 with a message naming it.
 */
class InvalidConfigurationTest {

  @TempDir
  static Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--port 99999                              | --port must be 0..65535",
      "--port http                               | --port",
      "--store cloud                             | --store",
      "--tls-cert /no/such.pem --tls-key /no/such.key | --tls-cert file /no/such.pem cannot be read",
      "--tls-cert CERT                           | --tls-cert and --tls-key go together",
      "--history-limit 0                         | --history-limit must be at least 1",
      "--auth-tokens owner:x                     | --auth-tokens-file/--auth-tokens: token entry 1",
      "--metrics-port 8980                       | --metrics-port must differ from --port",
      "--log-level loud                          | Invalid value for option '--log-level': expected one of [TRACE, DEBUG, INFO, WARN, ERROR, OFF] (case-insensitive) but was 'loud'",
      "--log-format xml                          | Invalid value for option '--log-format': expected one of [text, json] (case-insensitive) but was 'xml'"})
  void aBadSettingStopsTheServerWithAMessageNamingIt(String args, String message) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate");
    List<String> flags = new ArrayList<>();
    for (String arg : args.split(" ")) {
      flags.add(arg.equals("CERT") ? cert.toString() : arg);
    }
    String output = runRefused(Map.of(), flags);
    assertThat(output).contains(message);
  }

  @Test
  void aLogFormatFromTheEnvironmentIsCheckedAsTheFlagIs() throws Exception {
    assertThat(runRefused(Map.of("ABSTRACTIONS_LOG_FORMAT", "xml"), List.of())).isEqualTo(""
        + "abstractions-server: Invalid value for option '--log-format': expected one of [text, json] "
        + "(case-insensitive) but was 'xml'\n"
        + "Run with --help for the options.\n");
  }

  @Test
  void aMalformedTokensFileIsOneLineNamingTheSettingNotAStackTrace() throws Exception {
    Path tokens = Files.writeString(dir.resolve("tokens"), "read:r1\nwrite w2\n");
    assertThat(runRefused(Map.of(), List.of("--port", "0", "--metrics-port", "-1", "--auth-tokens-file",
        tokens.toString())))
        .isEqualTo("abstractions-server: cannot start: --auth-tokens-file/--auth-tokens: token entry 2 must be "
            + "read:TOKEN, write:TOKEN or admin:TOKEN\n");
  }

  /** Runs the server with {@code flags}, expects it to exit 2 within a minute, and returns what it printed. */
  private static String runRefused(Map<String, String> environment, List<String> flags) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(flags);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly(); // it started serving instead of refusing the setting
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(exited).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isEqualTo(2);
    return output;
  }
}
