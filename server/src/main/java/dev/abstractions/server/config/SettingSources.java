package dev.abstractions.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies a setting missing from the command line: its environment variable first, then the
 * config file; null leaves the option's own default.
 */
final class SettingSources implements CommandLine.IDefaultValueProvider {

  private static final String PREFIX = "ABSTRACTIONS_";

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
    return PREFIX + setting.toUpperCase(Locale.ROOT).replace('-', '_');
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

  /** The environment's {@code ABSTRACTIONS_*} variables that are no option's of {@code spec}, sorted. */
  List<String> unknownVariables(CommandSpec spec) {
    Set<String> known = new HashSet<>();
    for (OptionSpec option : spec.options()) {
      known.add(environmentName(option.longestName().substring(2)));
    }
    return environment.keySet().stream()
        .filter(name -> name.startsWith(PREFIX) && !known.contains(name))
        .sorted()
        .toList();
  }

  /**
   * Every option of a parsed command by name (without dashes), in declaration order, secrets
   * redacted: numbers and booleans as they are, the rest as text.
   */
  static Map<String, Object> settings(CommandLine commandLine) {
    Map<String, Object> settings = new LinkedHashMap<>();
    for (OptionSpec option : commandLine.getCommandSpec().options()) {
      String setting = option.longestName().substring(2);
      if (option.usageHelp() || option.versionHelp()) {
        continue;
      }
      Object value = option.getValue();
      if (SECRETS.contains(setting) && value != null) {
        value = "<redacted>";
      } else if (value != null && !(value instanceof Number) && !(value instanceof Boolean)) {
        value = value.toString();
      }
      settings.put(setting, value);
    }
    return settings;
  }

  /** Every option of a parsed command as {@code name=value}, secrets redacted. */
  static String describe(CommandLine commandLine) {
    StringJoiner described = new StringJoiner(" ");
    settings(commandLine).forEach((setting, value) -> described.add(setting + "=" + value));
    return described.toString();
  }
}
