package dev.abstractions.cli;

import com.google.protobuf.Struct;
import dev.abstractions.client.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code abstractions} command: global options (where and how to connect, text or JSON) and
 * its subcommands. {@link #execute} runs one command line with the given streams and environment
 * and returns the exit code, never calling {@code System.exit}, so tests run it in-process.
 */
@Command(
    name = "abstractions",
    mixinStandardHelpOptions = true,
    version = "abstractions-cli 0.1.0",
    description = "Reads, writes and watches the entities of an Abstractions Entity Server.",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  ok",
      "  1  unexpected error (also: the demo's counters MISMATCH)",
      "  2  usage error: bad or missing arguments, malformed --data JSON,",
      "     unknown command",
      "  3  not found: no such entity, version or operation; a deleted",
      "     entity; a version no longer retained",
      "  4  version conflict or aborted: --expect-version is not the latest",
      "     (current_version is printed), a tree moved on from --tree-version",
      "     (current_tree_version is printed), the id is taken, or an",
      "     operation holds the entity's gate",
      "  5  invalid argument: the server refused the request (its field",
      "     violations are printed) or found it does not fit the entities",
      "     (FAILED_PRECONDITION, e.g. NOT_A_ROOT: tree named a member, not",
      "     its root), or a server function failed on the entity's data",
      "     (execute)",
      "  6  unavailable: cannot connect, timed out, or a server limit was hit",
      "  7  events lost: the events a watch needs left the server's log",
      "     (OUT_OF_RANGE; oldest_sequence is printed)",
      "  8  permission denied or unauthenticated (missing, unknown or",
      "     read-only --token)",
      "",
      "Errors go to stderr: 'abstractions: CODE REASON: message', then one",
      "'name: value' line per detail (with --json: one JSON object).",
      "Options may come before or after the command. Entity data is a",
      "protobuf Struct: its numbers are doubles, exact up to 2^53 as whole",
      "numbers, which print without a fraction (3, not 3.0)."
    })
final class AbstractionsCli implements ErrorReport.Context {

  static final String DEFAULT_TARGET = "localhost:8980";

  /**
   * The subcommands by name, in the order the help lists them. picocli builds a command's model
   * by reflection over its annotations, a good part of a run's start-up, so {@link #execute} adds
   * only those a command line needs ({@link #needed}).
   */
  private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  @Spec
  private CommandSpec spec;

  @Option(names = "--target", paramLabel = "HOST:PORT", scope = ScopeType.INHERIT,
      description = "The server (default: $ABSTRACTIONS_TARGET, else " + DEFAULT_TARGET + ").")
  private String target;

  @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
      description = "Bearer token sent with every call (default: $ABSTRACTIONS_TOKEN).")
  private String token;

  @Option(names = "--tls-ca", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Connect with TLS, trusting the CA certificates in this PEM file.")
  private Path tlsCa;

  @Option(names = "--tls", scope = ScopeType.INHERIT,
      description = "Connect with TLS, trusting the JVM's default CAs.")
  private boolean tls;

  @Option(names = "--tls-cert", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Connect with TLS, presenting the client certificate chain in this PEM file to a server "
          + "that requires one (mutual TLS); needs --tls-key.")
  private Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "The private key of --tls-cert, a PEM file (PKCS#8).")
  private Path tlsKey;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", scope = ScopeType.INHERIT,
      description = "Deadline of each call, and how long watch waits to connect (default: ${DEFAULT-VALUE}).")
  private int timeoutSeconds;

  @Option(names = "--json", scope = ScopeType.INHERIT,
      description = "Print one JSON object per line (protobuf JSON) instead of text.")
  private boolean json;

  private final Map<String, String> environment;

  private AbstractionsCli(Map<String, String> environment) {
    this.environment = environment;
  }

  /**
   * Runs {@code args}, reading {@code --data -} from {@code in}, printing results to {@code out}
   * and errors to {@code err}, reading defaults from {@code environment}.
   *
   * @return the exit code (see the help footer)
   */
  static int execute(String[] args, InputStream in, PrintWriter out, PrintWriter err,
      Map<String, String> environment) {
    AbstractionsCli cli = new AbstractionsCli(environment);
    ErrorReport report = new ErrorReport(cli);
    CommandLine commandLine = new CommandLine(cli);
    // Before the settings below, which apply to the subcommands present when they are made.
    for (String name : needed(commandLine.getCommandSpec(), args)) {
      commandLine.addSubcommand(name, SUBCOMMANDS.get(name));
    }
    commandLine
        .registerConverter(Struct.class, new Converters.JsonObject(in))
        .registerConverter(Converters.TreeChanges.class, new Converters.TreeChangesJson(in))
        // @FILE is --data's own syntax for a file of JSON, not picocli's file of arguments.
        .setExpandAtFiles(false)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(report)
        .setParameterExceptionHandler(report);
    commandLine.setOut(out);
    commandLine.setErr(err);
    return commandLine.execute(args);
  }

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> commands = new LinkedHashMap<>();
    commands.put("get", GetCommand.class);
    commands.put("list", ListCommand.class);
    commands.put("create", CreateCommand.class);
    commands.put("update", UpdateCommand.class);
    commands.put("delete", DeleteCommand.class);
    commands.put("history", HistoryCommand.class);
    commands.put("tree", TreeCommand.class);
    commands.put("execute", ExecuteCommand.class);
    commands.put("ops", OpsCommand.class);
    commands.put("watch", WatchCommand.class);
    commands.put("demo", DemoCommand.class);
    commands.put("completion", CompletionCommand.class);
    commands.put("help", CommandLine.HelpCommand.class);
    return Collections.unmodifiableMap(commands);
  }

  /**
   * The names of the subcommands picocli needs to run {@code args} as it would with all of them:
   * the one named, when only options of this command come before it; none for a plain
   * {@code --version}; all otherwise — for the help and completion, which describe them all, an
   * unknown command or option (picocli suggests similar names), and whatever this reading is not
   * sure of, such as a value that is itself an option or a command's name, which picocli refuses.
   */
  private static Collection<String> needed(CommandSpec root, String[] args) {
    boolean version = false;
    for (int i = 0; i < args.length; i++) {
      if (SUBCOMMANDS.containsKey(args[i])) {
        boolean describesAll = args[i].equals("help") || args[i].equals("completion");
        return version || describesAll ? SUBCOMMANDS.keySet() : List.of(args[i]);
      }
      int equals = args[i].indexOf('=');
      OptionSpec option = root.optionsMap().get(equals < 0 ? args[i] : args[i].substring(0, equals));
      if (option == null || option.usageHelp()) {
        return SUBCOMMANDS.keySet();
      }
      version |= option.versionHelp();
      if (equals < 0 && option.arity().max() > 0) {
        i++;
        if (i < args.length && (args[i].startsWith("-") || SUBCOMMANDS.containsKey(args[i]))) {
          return SUBCOMMANDS.keySet();
        }
      }
    }
    return version ? List.of() : SUBCOMMANDS.keySet();
  }

  @Override
  public String target() {
    return target != null ? target : environment.getOrDefault("ABSTRACTIONS_TARGET", DEFAULT_TARGET);
  }

  @Override
  public boolean tlsWithoutClientCertificate() {
    return tlsRequested() && tlsCert == null;
  }

  @Override
  public boolean json() {
    return json;
  }

  Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }

  /** Where results go, in the chosen mode. */
  Output output() {
    return new Output(spec.commandLine().getOut(), json);
  }

  /** TLS per the global options, or null for plaintext (none of them given). */
  private Tls tlsSettings() {
    if (!tlsRequested()) {
      return null;
    }
    Tls settings = tlsCa != null ? Tls.trusting(tlsCa) : Tls.trustingDefaultCas();
    return tlsCert != null ? settings.withClientCertificate(tlsCert, tlsKey) : settings;
  }

  /** Whether any TLS option was given: each of them means TLS. */
  private boolean tlsRequested() {
    return tls || tlsCa != null || tlsCert != null;
  }

  /** The TLS files given, for a message about them. */
  private String tlsFiles() {
    StringJoiner files = new StringJoiner(", ");
    if (tlsCa != null) {
      files.add("--tls-ca " + tlsCa);
    }
    if (tlsCert != null) {
      files.add("--tls-cert " + tlsCert).add("--tls-key " + tlsKey);
    }
    return files.toString();
  }

  /** A connection per the global options; the caller closes it. */
  Session connect() {
    if (timeoutSeconds < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 1 second, was "
          + timeoutSeconds);
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
    }
    String bearer = token != null ? token : environment.getOrDefault("ABSTRACTIONS_TOKEN", "");
    try {
      return Session.open(target(), tlsSettings(), bearer, timeout());
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "", "cannot read " + tlsFiles() + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      // The target, or TLS files that were read but hold no usable certificate or key.
      String files = tlsFiles();
      throw new CliException(ExitCodes.USAGE, "", "cannot use --target " + target()
          + (files.isEmpty() ? "" : " with " + files) + ": " + e.getMessage());
    }
  }
}
