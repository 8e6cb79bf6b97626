package dev.abstractions.server.operate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.abstractions.server.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The real entry point, in its own process: a bad setting exits 2 with a message naming it. */
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
      "--metrics-port 8980                       | --metrics-port must differ from --port"})
  void aBadSettingStopsTheServerWithAMessageNamingIt(String args, String message) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    for (String arg : args.split(" ")) {
      command.add(arg.equals("CERT") ? cert.toString() : arg);
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly(); // it started serving instead of refusing the setting
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(exited).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isEqualTo(2);
    assertThat(output).contains(message);
  }
}
