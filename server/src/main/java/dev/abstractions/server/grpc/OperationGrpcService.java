package dev.abstractions.server.grpc;

import static dev.abstractions.server.grpc.UnaryCalls.completed;
import static dev.abstractions.server.grpc.UnaryCalls.rejectInvalid;

import dev.abstractions.api.v1.AbortOperationRequest;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.CommitOperationRequest;
import dev.abstractions.api.v1.CommitOperationResponse;
import dev.abstractions.api.v1.ExecuteRequest;
import dev.abstractions.api.v1.ExecuteResponse;
import dev.abstractions.api.v1.GetOperationRequest;
import dev.abstractions.api.v1.KeepAliveRequest;
import dev.abstractions.api.v1.ListOperationsRequest;
import dev.abstractions.api.v1.ListOperationsResponse;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationServiceGrpc;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.core.Actor;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.grpc.wire.CommitOperationWire;
import dev.abstractions.server.ops.CommandDriver;
import dev.abstractions.server.ops.functions.ServerFunction;
import dev.abstractions.server.store.Ids;
import dev.abstractions.server.store.OperationRegistry;
import dev.abstractions.server.store.StoreSettings;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@code OperationService} over the {@link CommandDriver}. Each handler checks the request, calls
 * the driver, and maps the outcome; nothing else. Begin completes asynchronously when the gate lets it
 * start, Execute when the driver's server-side retries finish; no handler blocks.
 */
@Singleton
public final class OperationGrpcService implements OperationServiceGrpc.AsyncService, BindableService {

  private final CommandDriver driver;
  private final RequestLedger ledger;
  private final OperationRequests requests;

  @Inject
  OperationGrpcService(CommandDriver driver, RequestLedger ledger, StoreSettings settings, ServerConfig config,
      Map<String, ServerFunction> functions) {
    this.driver = driver;
    this.ledger = ledger;
    this.requests = new OperationRequests(settings.maxEntityBytes(), config.maxTreeMembers(), functions);
  }

  @Override
  public void begin(BeginOperationRequest request, StreamObserver<BeginOperationResponse> response) {
    if (rejectInvalid(requests.checkBegin(request), response)) {
      return;
    }
    // A Begin may wait for the gate; once its caller has cancelled, no operation is left behind
    // (the answer, CANCELLED, is transient, so a retry with the same request_id begins anew).
    ServerCallStreamObserver<BeginOperationResponse> call = (ServerCallStreamObserver<BeginOperationResponse>) response;
    BooleanSupplier awaited = () -> !call.isCancelled();
    Actor caller = Callers.current();
    ledger.once("Begin", request.getRequestId(), () -> request, response,
        key -> driver.begin(key, OperationRequests.spec(request), awaited, caller).thenCompose(UnaryCalls::completed));
  }

  /** The generated service, but Commit reads its request as {@link CommitOperationWire} ({@link WireRequests}). */
  @Override
  public ServerServiceDefinition bindService() {
    ServerServiceDefinition generated = OperationServiceGrpc.bindService(this);
    MethodDescriptor<CommitOperationWire, CommitOperationResponse> commit = WireRequests.reading(
        OperationServiceGrpc.getCommitMethod(), CommitOperationWire.getDefaultInstance(),
        OperationServiceGrpc.getCommitMethod().getResponseMarshaller());
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(OperationServiceGrpc.SERVICE_NAME)
        .setSchemaDescriptor(OperationServiceGrpc.getServiceDescriptor().getSchemaDescriptor());
    List<ServerMethodDefinition<?, ?>> others = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : generated.getMethods()) {
      if (!method.getMethodDescriptor().getFullMethodName().equals(commit.getFullMethodName())) {
        descriptor.addMethod(method.getMethodDescriptor());
        others.add(method);
      }
    }
    ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(descriptor.addMethod(commit).build());
    others.forEach(service::addMethod);
    return service.addMethod(commit, ServerCalls.asyncUnaryCall(this::commit)).build();
  }

  private void commit(CommitOperationWire request, StreamObserver<CommitOperationResponse> response) {
    if (rejectInvalid(requests.checkCommit(request), response)) {
      return;
    }
    Actor caller = Callers.current();
    StructBytes data = StructBytes.merged(request.getDataList());
    ledger.once("Commit", request.getRequestId(), () -> WireRequests.asSent(request, CommitOperationRequest.parser()),
        response, key -> driver.commit(key, Ids.canonical(request.getOpId()), data,
            TreeChanges.toCommand(request.getTreeChangesList()), caller)
            .thenCompose(UnaryCalls::completed));
  }

  @Override
  public void abort(AbortOperationRequest request, StreamObserver<OperationEntity> response) {
    if (rejectInvalid(requests.checkAbort(request), response)) {
      return;
    }
    Actor caller = Callers.current();
    ledger.once("Abort", request.getRequestId(), () -> request, response,
        key -> driver.abort(key, Ids.canonical(request.getOpId()), caller).thenCompose(UnaryCalls::completed));
  }

  @Override
  public void keepAlive(KeepAliveRequest request, StreamObserver<OperationEntity> response) {
    if (rejectInvalid(requests.checkKeepAlive(request), response)) {
      return;
    }
    UnaryCalls.reply(driver.keepAlive(Ids.canonical(request.getOpId()), Callers.current()).thenCompose(UnaryCalls::completed), response);
  }

  @Override
  public void get(GetOperationRequest request, StreamObserver<OperationEntity> response) {
    if (rejectInvalid(requests.checkGet(request), response)) {
      return;
    }
    String opId = Ids.canonical(request.getOpId());
    UnaryCalls.reply(driver.readBarrier().thenCompose(applied -> completed(driver.get(opId))), response);
  }

  @Override
  public void list(ListOperationsRequest request, StreamObserver<ListOperationsResponse> response) {
    UnaryCalls.respondAfter(driver.readBarrier(), response, () -> {
      UnaryCalls.requireValid(requests.checkList(request));
      Set<OperationStatus> statuses = request.getStatusesCount() == 0
          ? Set.of()
          : EnumSet.copyOf(request.getStatusesList());
      OperationRegistry.Page page = driver.list(
          Ids.canonical(request.getTargetLineageId()),
          PageTokens.operationPosition(request.getPageToken()),
          statuses,
          RequestChecks.pageSizeOrDefault(request.getPageSize()));
      ListOperationsResponse.Builder reply = ListOperationsResponse.newBuilder().addAllOperations(page.operations());
      if (page.hasMore()) {
        reply.setNextPageToken(PageTokens.forOperations(page.last()));
      }
      return reply.build();
    });
  }

  @Override
  public void execute(ExecuteRequest request, StreamObserver<ExecuteResponse> response) {
    if (rejectInvalid(requests.checkExecute(request), response)) {
      return;
    }
    Actor caller = Callers.current();
    ledger.once("Execute", request.getRequestId(), () -> request, response,
        key -> driver.execute(key, OperationRequests.spec(request), request.getFunction(), request.getArgs(),
            request.getMemberLineageId().isEmpty() ? "" : Ids.canonical(request.getMemberLineageId()), caller)
            .thenCompose(UnaryCalls::completed));
  }
}
