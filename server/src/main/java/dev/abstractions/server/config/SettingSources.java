package dev.abstractions.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies a setting missing from the command line: its environment variable first, then the
 * config file; null leaves the option's own default.
 */
final class SettingSources implements CommandLine.IDefaultValueProvider {

  /** Settings never written to logs. */
  private static final Set<String> SECRETS = Set.of("auth-tokens");

  private final Map<String, String> environment;
  private final Properties file;

  private SettingSources(Map<String, String> environment, Properties file) {
    this.environment = environment;
    this.file = file;
  }

  /** Reads the config file named by {@code --config} in {@code args} or by the environment. */
  static SettingSources load(CommandLine commandLine, String[] args, Map<String, String> environment) {
    String path = environment.get(environmentName("config"));
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        path = args[i + 1];
      } else if (args[i].startsWith("--config=")) {
        path = args[i].substring("--config=".length());
      }
    }
    Properties file = new Properties();
    if (path != null) {
      try (Reader reader = Files.newBufferedReader(Path.of(path))) {
        file.load(reader);
      } catch (IOException | RuntimeException e) {
        throw new CommandLine.ParameterException(commandLine, "--config file " + path + " cannot be read: " + e);
      }
      for (String key : file.stringPropertyNames()) {
        if (commandLine.getCommandSpec().findOption("--" + key) == null || key.equals("config")) {
          throw new CommandLine.ParameterException(commandLine,
              "--config file " + path + " names an unknown setting '" + key + "'");
        }
      }
    }
    return new SettingSources(environment, file);
  }

  /** {@code history-limit} → {@code ABSTRACTIONS_HISTORY_LIMIT}. */
  static String environmentName(String setting) {
    return "ABSTRACTIONS_" + setting.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
      return null;
    }
    String setting = option.longestName().substring(2);
    String fromEnvironment = environment.get(environmentName(setting));
    return fromEnvironment != null ? fromEnvironment : file.getProperty(setting);
  }

  /** Every option of a parsed command as {@code name=value}, secrets redacted. */
  static String describe(CommandLine commandLine) {
    StringJoiner settings = new StringJoiner(" ");
    for (OptionSpec option : commandLine.getCommandSpec().options()) {
      String setting = option.longestName().substring(2);
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      Object value = option.getValue();
      settings.add(setting + "=" + (SECRETS.contains(setting) && value != null ? "<redacted>" : value));
    }
    return settings.toString();
  }
}
