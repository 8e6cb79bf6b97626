package dev.abstractions.cli;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.BadRequest.FieldViolation;
import dev.abstractions.client.EntityServiceException;
import dev.abstractions.client.ProtoJson;
import dev.abstractions.client.OperationFailedException;
import dev.abstractions.client.OperationRejectedException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place a failure becomes a message on stderr and an exit code ({@link ExitCodes}). A
 * server's refusal is printed as {@code abstractions: CODE REASON: description} followed by its
 * {@code ErrorInfo} metadata and field violations, one {@code name: value} line each; with
 * {@code --json}, as one JSON object. Stateless apart from the settings it is given.
 */
final class ErrorReport implements IExecutionExceptionHandler, IParameterExceptionHandler {

  private static final String PREFIX = "abstractions: ";

  /**
   * What the root command knows at the time of the failure: where it connected, whether over TLS
   * without a client certificate, and the mode.
   */
  interface Context {
    String target();

    boolean tlsWithoutClientCertificate();

    boolean json();
  }

  private final Context context;

  ErrorReport(Context context) {
    this.context = context;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(PREFIX + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    return report(e, command.getErr());
  }

  /** Prints {@code failure} to {@code err} and returns the exit code it means. */
  int report(Exception failure, PrintWriter err) {
    Failure described = describe(failure);
    if (context.json()) {
      err.println(described.json());
    } else {
      err.print(described.text());
    }
    err.flush();
    return described.exitCode();
  }

  private Failure describe(Exception failure) {
    if (failure instanceof EntityServiceException e) {
      Status status = ((StatusRuntimeException) e.getCause()).getStatus();
      String description = status.getDescription() == null ? "" : status.getDescription();
      if (e.reason().isEmpty() && e.code() == Status.Code.UNAVAILABLE) {
        // The transport says why in the cause (e.g. "Connection refused"), often with no description.
        Throwable cause = status.getCause();
        description = "cannot reach " + context.target() + (description.isEmpty() ? "" : ": " + description)
            + (cause == null ? "" : " (" + cause.getMessage() + ")");
        if (context.tlsWithoutClientCertificate() && droppedAfterConnecting(cause)) {
          // With TLS 1.3 the client's handshake is over before the server checks its certificate;
          // the server's alert is often lost to the write that then finds the connection closed.
          description += "; a server that requires a client certificate (mutual TLS) ends the connection "
              + "so: give --tls-cert and --tls-key";
        }
      }
      return new Failure(ExitCodes.of(e.code(), e.reason()), e.code().name(), e.reason(), description,
          e.metadata(), e.fieldViolations());
    }
    if (failure instanceof StatusRuntimeException e) {
      Status status = e.getStatus();
      return new Failure(ExitCodes.of(status.getCode(), ""), status.getCode().name(), "",
          String.valueOf(status.getDescription()), Map.of(), List.of());
    }
    if (failure instanceof OperationRejectedException e) {
      return new Failure(ExitCodes.CONFLICT, "ABORTED", e.reason().name(), e.getMessage(),
          Map.of("op_id", e.operation().getOpId()), List.of());
    }
    if (failure instanceof OperationFailedException e) {
      return new Failure(ExitCodes.INVALID_ARGUMENT, "FAILED", "", e.getMessage(),
          Map.of("op_id", e.operation().getOpId()), List.of());
    }
    if (failure instanceof CliException e) {
      return new Failure(e.exitCode(), e.code(), "", e.getMessage(), Map.of(), List.of());
    }
    return new Failure(ExitCodes.UNEXPECTED, "", "", "unexpected error: " + failure, Map.of(), List.of());
  }

  /**
   * Whether {@code cause} is the server ending a connection that was made: closing it, or a TLS
   * alert it sent (the JDK's message for one). Not a refused connection, nor a certificate the
   * client itself did not trust.
   */
  private static boolean droppedAfterConnecting(Throwable cause) {
    return cause instanceof SocketException && !(cause instanceof ConnectException)
        || cause instanceof SSLException && String.valueOf(cause.getMessage()).startsWith("Received fatal alert");
  }

  private record Failure(int exitCode, String code, String reason, String message, Map<String, String> metadata,
      List<FieldViolation> violations) {

    String text() {
      StringBuilder text = new StringBuilder(PREFIX);
      if (!code.isEmpty()) {
        text.append(code).append(reason.isEmpty() ? "" : " " + reason).append(": ");
      }
      text.append(message).append('\n');
      new TreeMap<>(metadata).forEach(
          (key, value) -> text.append("  ").append(key).append(": ").append(value).append('\n'));
      for (FieldViolation violation : violations) {
        text.append("  ").append(violation.getField()).append(": ").append(violation.getDescription()).append('\n');
      }
      return text.toString();
    }

    String json() {
      Struct.Builder metadataJson = Struct.newBuilder();
      new TreeMap<>(metadata).forEach((key, value) -> metadataJson.putFields(key, string(value)));
      ListValue.Builder violationsJson = ListValue.newBuilder();
      for (FieldViolation violation : violations) {
        violationsJson.addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
            .putFields("field", string(violation.getField()))
            .putFields("description", string(violation.getDescription()))));
      }
      Struct error = Struct.newBuilder()
          .putFields("code", string(code))
          .putFields("reason", string(reason))
          .putFields("message", string(message))
          .putFields("metadata", Value.newBuilder().setStructValue(metadataJson).build())
          .putFields("fieldViolations", Value.newBuilder().setListValue(violationsJson).build())
          .build();
      return ProtoJson.print(error);
    }

    private static Value string(String text) {
      return Value.newBuilder().setStringValue(text).build();
    }
  }
}
