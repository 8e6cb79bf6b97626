package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.Any;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.ListEntitiesRequest;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.server.ReflectionQueries;
import dev.abstractions.server.TestServer;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Requests the server cannot parse (nesting past protobuf's recursion limit, invalid UTF-8 in a
 * string, a truncated message; entity data is parsed only when it is checked) are refused INVALID_ARGUMENT with a short description, on any
 * service, change nothing, and cost the log one warning without a stack trace rather than an
 * error with one per request.
 */
class UnparseableRequestTest {

  private static final String PARSE_FAILED = "request could not be parsed: ";

  private TestServer server;
  /** What the server logs through SLF4J. */
  private ListAppender<ILoggingEvent> log;
  /** Warnings and errors grpc-java logs through java.util.logging. */
  private final List<LogRecord> julRecords = new CopyOnWriteArrayList<>();
  private final Handler julHandler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
        julRecords.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    log = new ListAppender<>();
    log.start();
    root().addAppender(log);
    java.util.logging.Logger.getLogger("").addHandler(julHandler);
  }

  @AfterEach
  void stop() throws Exception {
    java.util.logging.Logger.getLogger("").removeHandler(julHandler);
    root().detachAppender(log);
    server.close();
  }

  static Stream<Arguments> unparseable() throws IOException {
    return Stream.of(
        Arguments.of("invalid UTF-8 in the entity type",
            invalidUtf8EntityType(),
            "Protocol message had invalid UTF-8"),
        Arguments.of("a message cut off in the middle of its data",
            truncated(create(nested(3)).toByteArray()),
            "While parsing a protocol message, the input ended unexpectedly in the middle of a field"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unparseable")
  void anUnparseableCreateIsInvalidArgumentAndStoresNothing(String name, byte[] request, String reason) {
    StatusRuntimeException refused = refusal(() ->
        RawCalls.unary(server.channel(), EntityServiceGrpc.getCreateMethod(), request));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(refused.getStatus().getDescription()).isEqualTo(PARSE_FAILED + reason);
    com.google.rpc.Status details = StatusProto.fromThrowable(refused);
    assertThat(details.getDetailsList()).hasSize(1);
    assertThat(details.getDetails(0).is(BadRequest.class)).isFalse();
    assertThat(unpackErrorInfo(details.getDetails(0)))
        .isEqualTo(ErrorInfo.newBuilder().setReason("INVALID_REQUEST").setDomain(Statuses.DOMAIN).build());
    assertThat(EntityServiceGrpc.newBlockingStub(server.channel())
        .list(ListEntitiesRequest.newBuilder().setEntityType("Nested").build()).getEntitiesCount())
        .isZero();
  }

  /**
   * Entity data is read as bytes and parsed only when it is checked: data nested past protobuf's
   * recursion limit is a violation of the data field, not of the request.
   */
  @Test
  void dataNestedPastProtobufsRecursionLimitIsAFieldViolationAndStoresNothing() {
    StatusRuntimeException refused = refusal(() ->
        RawCalls.unary(server.channel(), EntityServiceGrpc.getCreateMethod(), create(nested(120)).toByteArray()));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(StatusProto.fromThrowable(refused).getDetailsList())
        .filteredOn(detail -> detail.is(BadRequest.class))
        .extracting(detail -> unpackBadRequest(detail).getFieldViolationsList())
        .containsExactly(List.of(BadRequest.FieldViolation.newBuilder().setField("data")
            .setDescription("is not a google.protobuf.Struct: Protocol message had too many levels of nesting.  May be"
                + " malicious.  Use setRecursionLimit() to increase the recursion depth limit.")
            .build()));
    assertThat(EntityServiceGrpc.newBlockingStub(server.channel())
        .list(ListEntitiesRequest.newBuilder().setEntityType("Nested").build()).getEntitiesCount())
        .isZero();
  }

  @Test
  void unparseableRequestsToStreamingHealthAndReflectionServicesAreInvalidArgumentToo() throws Exception {
    byte[] garbage = truncated(SubscribeRequest.newBuilder().setResumeToken("not-a-token").build().toByteArray());
    List<MethodDescriptor<?, ?>> methods = List.of(
        EventServiceGrpc.getSubscribeMethod(), HealthGrpc.getCheckMethod(), HealthGrpc.getWatchMethod());
    for (MethodDescriptor<?, ?> method : methods) {
      StatusRuntimeException refused = refusal(() -> {
        if (method.getType() == MethodDescriptor.MethodType.UNARY) {
          RawCalls.unary(server.channel(), method, garbage);
        } else {
          RawCalls.firstOfStream(server.channel(), method, garbage);
        }
      });
      assertThat(refused.getStatus().getCode()).as(method.getFullMethodName()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(refused.getStatus().getDescription()).as(method.getFullMethodName()).startsWith(PARSE_FAILED);
    }

    // The guarded services still answer well-formed requests, reflection (a bidirectional stream) included.
    assertThat(HealthGrpc.newBlockingStub(server.channel()).check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(ReflectionQueries.listServicesV1(server.channel()))
        .contains("abstractions.v1.EntityService", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");
    assertThat(ReflectionQueries.listServicesV1Alpha(server.channel())).contains("abstractions.v1.EntityService");
  }

  @Test
  void manyUnparseableRequestsLogOneWarningWithoutAStackTraceAndNoErrors() throws Exception {
    byte[] cut = truncated(create(nested(3)).toByteArray());
    for (int i = 0; i < 20; i++) {
      refusal(() -> RawCalls.unary(server.channel(), EntityServiceGrpc.getCreateMethod(), cut));
    }
    // A well-formed call afterwards: the connection that sent garbage is still served.
    assertThat(EntityServiceGrpc.newBlockingStub(server.channel())
        .create(CreateEntityRequest.newBuilder().setEntityType("Fine").build()).getVersion()).isEqualTo(1);

    List<ILoggingEvent> events = List.copyOf(log.list);
    assertThat(events).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR));
    assertThat(events).allMatch(e -> e.getThrowableProxy() == null);
    List<ILoggingEvent> warnings = events.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getKeyValuePairs())
        .extracting(pair -> pair.key + "=" + pair.value)
        .contains("method=" + EntityServiceGrpc.getCreateMethod().getFullMethodName(),
            "reason=While parsing a protocol message, the input ended unexpectedly in the middle of a field",
            "alsoRefusedSinceLastWarning=0");
    assertThat(julRecords).as("grpc-java's own log (java.util.logging)").isEmpty();
  }

  private static StatusRuntimeException refusal(Runnable call) {
    StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(refused).as("the call must be refused").isNotNull();
    return refused;
  }

  private static BadRequest unpackBadRequest(Any detail) {
    try {
      return detail.unpack(BadRequest.class);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static ErrorInfo unpackErrorInfo(Any detail) {
    try {
      return detail.unpack(ErrorInfo.class);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static CreateEntityRequest create(Struct data) {
    return CreateEntityRequest.newBuilder().setEntityType("Nested").setData(data).build();
  }

  private static Struct nested(int depth) {
    Struct inner = Struct.newBuilder().putFields("leaf", Value.newBuilder().setNumberValue(1).build()).build();
    for (int i = 1; i < depth; i++) {
      inner = Struct.newBuilder().putFields("a", Value.newBuilder().setStructValue(inner).build()).build();
    }
    return inner;
  }

  /** A CreateEntityRequest whose entity_type is 0xC3 0x28: a two-byte sequence cut short. */
  private static byte[] invalidUtf8EntityType() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeByteArray(CreateEntityRequest.ENTITY_TYPE_FIELD_NUMBER, new byte[] {(byte) 0xC3, 0x28});
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] truncated(byte[] message) {
    return Arrays.copyOf(message, message.length - 2);
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
