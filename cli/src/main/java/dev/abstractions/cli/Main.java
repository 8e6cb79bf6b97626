package dev.abstractions.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point of {@code abstractions-cli.jar}. {@link #run} is the whole CLI with its streams and
 * environment passed in, for tests and embedding; {@link #main} wires it to the process and exits
 * with its code.
 */
public final class Main {

  /** Held so the level set below is not collected with the logger. */
  private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

  private Main() {}

  public static void main(String[] args) {
    // The CLI reports failures itself; grpc-java's transport warnings would only repeat them.
    GRPC_LOG.setLevel(Level.SEVERE);
    Charset charset = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
    int exitCode = run(args, System.in, out, err, System.getenv());
    out.flush();
    err.flush();
    System.exit(exitCode);
  }

  /**
   * Runs one command line: {@code --data -} from {@code in}, results to {@code out}, errors to
   * {@code err}, defaults such as {@code ABSTRACTIONS_TARGET} from {@code environment}. Never
   * exits the JVM.
   *
   * @return the exit code (see {@code abstractions --help})
   */
  public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err,
      Map<String, String> environment) {
    return AbstractionsCli.execute(args, in, out, err, environment);
  }
}
