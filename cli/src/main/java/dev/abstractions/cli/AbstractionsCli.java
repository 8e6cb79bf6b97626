package dev.abstractions.cli;

import dev.abstractions.client.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * The {@code abstractions} command: global options (where and how to connect, text or JSON) and
 * its subcommands. {@link #execute} runs one command line with the given streams and environment
 * and returns the exit code, never calling {@code System.exit}, so tests run it in-process.
 */
final class AbstractionsCli implements ErrorReport.Context {

  static final String DEFAULT_TARGET = "localhost:8980";

  private static final String[] FOOTER = {
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
  };

  /**
   * The subcommands' names, in the order the help lists them. Building a command's model is a good
   * part of a short run's start-up, so {@link #execute} builds only those a command line needs
   * ({@link #needed}).
   */
  private static final List<String> SUBCOMMANDS = List.of("get", "list", "create", "update", "delete", "history",
      "tree", "execute", "ops", "watch", "demo", "completion", "help");

  /** The root command's model; its subcommands are added per command line. */
  private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this)
      .name("abstractions")
      .version("abstractions-cli 0.1.0");

  private final OptionSpec target = inherited(OptionSpec.builder("--target")
      .paramLabel("HOST:PORT")
      .type(String.class)
      .description("The server (default: $ABSTRACTIONS_TARGET, else " + DEFAULT_TARGET + ")."));

  private final OptionSpec token = inherited(OptionSpec.builder("--token")
      .paramLabel("TOKEN")
      .type(String.class)
      .description("Bearer token sent with every call (default: $ABSTRACTIONS_TOKEN)."));

  private final OptionSpec tlsCa = inherited(OptionSpec.builder("--tls-ca")
      .paramLabel("FILE")
      .type(Path.class)
      .description("Connect with TLS, trusting the CA certificates in this PEM file."));

  private final OptionSpec tls = inherited(OptionSpec.builder("--tls")
      .type(boolean.class)
      .initialValue(false)
      .description("Connect with TLS, trusting the JVM's default CAs."));

  private final OptionSpec tlsCert = inherited(OptionSpec.builder("--tls-cert")
      .paramLabel("FILE")
      .type(Path.class)
      .description("Connect with TLS, presenting the client certificate chain in this PEM file to a server "
          + "that requires one (mutual TLS); needs --tls-key."));

  private final OptionSpec tlsKey = inherited(OptionSpec.builder("--tls-key")
      .paramLabel("FILE")
      .type(Path.class)
      .description("The private key of --tls-cert, a PEM file (PKCS#8)."));

  private final OptionSpec timeoutSeconds = inherited(OptionSpec.builder("--timeout")
      .paramLabel("SECONDS")
      .type(int.class)
      .defaultValue("30")
      .description("Deadline of each call, and how long watch waits to connect (default: ${DEFAULT-VALUE})."));

  private final OptionSpec json = inherited(OptionSpec.builder("--json")
      .type(boolean.class)
      .initialValue(false)
      .description("Print one JSON object per line (protobuf JSON) instead of text."));

  private final Map<String, String> environment;

  private AbstractionsCli(Map<String, String> environment) {
    this.environment = environment;
    spec.usageMessage()
        .description("Reads, writes and watches the entities of an Abstractions Entity Server.")
        .footerHeading("%nExit codes:%n")
        .footer(FOOTER);
    Specs.option(spec, Specs.help());
    Specs.option(spec, OptionSpec.builder("-V", "--version")
        .versionHelp(true)
        .description("Print version information and exit."));
  }

  /** Adds a global option, one each subcommand accepts too, and returns it. */
  private OptionSpec inherited(OptionSpec.Builder option) {
    return Specs.option(spec, option.scopeType(ScopeType.INHERIT));
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
    CommandLine commandLine = new CommandLine(cli.spec);
    // Before the settings below, which apply to the subcommands present when they are made.
    for (String name : needed(cli.spec, args)) {
      commandLine.addSubcommand(name, cli.subcommand(name));
    }
    commandLine
        .registerConverter(Converters.JsonData.class, new Converters.JsonObject(in))
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

  /** The model of the subcommand {@code name}, one of {@link #SUBCOMMANDS}. */
  private CommandSpec subcommand(String name) {
    return switch (name) {
      case "get" -> new GetCommand(this).spec();
      case "list" -> new ListCommand(this).spec();
      case "create" -> new CreateCommand(this).spec();
      case "update" -> new UpdateCommand(this).spec();
      case "delete" -> new DeleteCommand(this).spec();
      case "history" -> new HistoryCommand(this).spec();
      case "tree" -> new TreeCommand(this).spec();
      case "execute" -> new ExecuteCommand(this).spec();
      case "ops" -> new OpsCommand(this).spec();
      case "watch" -> new WatchCommand(this).spec();
      case "demo" -> new DemoCommand(this).spec();
      case "completion" -> new CompletionCommand().spec();
      // picocli's own, from its annotations: read only for the help and completion, which describe every command.
      case "help" -> CommandSpec.forAnnotatedObject(new CommandLine.HelpCommand());
      default -> throw new IllegalArgumentException("no subcommand " + name);
    };
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
      if (SUBCOMMANDS.contains(args[i])) {
        boolean describesAll = args[i].equals("help") || args[i].equals("completion");
        return version || describesAll ? SUBCOMMANDS : List.of(args[i]);
      }
      int equals = args[i].indexOf('=');
      OptionSpec option = root.optionsMap().get(equals < 0 ? args[i] : args[i].substring(0, equals));
      if (option == null || option.usageHelp()) {
        return SUBCOMMANDS;
      }
      version |= option.versionHelp();
      if (equals < 0 && option.arity().max() > 0) {
        i++;
        if (i < args.length && (args[i].startsWith("-") || SUBCOMMANDS.contains(args[i]))) {
          return SUBCOMMANDS;
        }
      }
    }
    return version ? List.of() : SUBCOMMANDS;
  }

  @Override
  public String target() {
    String given = target.getValue();
    return given != null ? given : environment.getOrDefault("ABSTRACTIONS_TARGET", DEFAULT_TARGET);
  }

  @Override
  public boolean tlsWithoutClientCertificate() {
    return tlsRequested() && tlsCert.getValue() == null;
  }

  @Override
  public boolean json() {
    return json.getValue();
  }

  Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds.<Integer>getValue());
  }

  /** Where results go, in the chosen mode. */
  Output output() {
    return new Output(spec.commandLine().getOut(), json());
  }

  /** TLS per the global options, or null for plaintext (none of them given). */
  private Tls tlsSettings() {
    if (!tlsRequested()) {
      return null;
    }
    Path ca = tlsCa.getValue();
    Path certificate = tlsCert.getValue();
    Tls settings = ca != null ? Tls.trusting(ca) : Tls.trustingDefaultCas();
    return certificate != null ? settings.withClientCertificate(certificate, tlsKey.getValue()) : settings;
  }

  /** Whether any TLS option was given: each of them means TLS. */
  private boolean tlsRequested() {
    return tls.<Boolean>getValue() || tlsCa.getValue() != null || tlsCert.getValue() != null;
  }

  /** The TLS files given, for a message about them. */
  private String tlsFiles() {
    StringJoiner files = new StringJoiner(", ");
    if (tlsCa.getValue() != null) {
      files.add("--tls-ca " + tlsCa.getValue());
    }
    if (tlsCert.getValue() != null) {
      files.add("--tls-cert " + tlsCert.getValue()).add("--tls-key " + tlsKey.getValue());
    }
    return files.toString();
  }

  /** A connection per the global options; the caller closes it. */
  Session connect() {
    int seconds = timeoutSeconds.getValue();
    if (seconds < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 1 second, was "
          + seconds);
    }
    if ((tlsCert.getValue() == null) != (tlsKey.getValue() == null)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
    }
    String given = token.getValue();
    String bearer = given != null ? given : environment.getOrDefault("ABSTRACTIONS_TOKEN", "");
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
