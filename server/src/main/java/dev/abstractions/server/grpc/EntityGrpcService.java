package dev.abstractions.server.grpc;

import dev.abstractions.api.v1.AttachTreeRequest;
import dev.abstractions.api.v1.AttachTreeResponse;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.EntityHistoryRequest;
import dev.abstractions.api.v1.EntityHistoryResponse;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.GetEntityRequest;
import dev.abstractions.api.v1.GetTreeRequest;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.ListEntitiesRequest;
import dev.abstractions.api.v1.ListEntitiesResponse;
import dev.abstractions.api.v1.MemberVersion;
import dev.abstractions.api.v1.PromoteTreeMemberRequest;
import dev.abstractions.api.v1.PromoteTreeMemberResponse;
import dev.abstractions.api.v1.TreeHistoryRequest;
import dev.abstractions.api.v1.TreeHistoryResponse;
import dev.abstractions.api.v1.TreeVersion;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.api.v1.WriteTreeRequest;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.Reply;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.grpc.wire.CreateEntityWire;
import dev.abstractions.server.grpc.wire.UpdateEntityWire;
import dev.abstractions.server.grpc.wire.WriteTreeWire;
import dev.abstractions.server.ops.CommandDriver;
import dev.abstractions.server.store.EntityPage;
import dev.abstractions.server.store.EntityStore;
import dev.abstractions.server.store.HistoryPage;
import dev.abstractions.server.store.Ids;
import dev.abstractions.server.store.StoreSettings;
import dev.abstractions.server.store.TreeHistoryPage;
import dev.abstractions.server.store.TreeRead;
import dev.abstractions.server.store.VersionRead;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code EntityService}: reads from the {@link EntityStore}, writes through the {@link CommandDriver}
 * (a plain write is an anonymous operation for arbitration). Each handler checks the request,
 * calls the domain, and maps the outcome to a response or a status; nothing else. Nothing here
 * blocks, so handlers run on the transport's threads.
 *
 * <p>Methods that answer one {@code Entity} are bound with a response marshaller that writes the
 * stored version's bytes as they are ({@link EntityVersionMarshaller}): no message is built or
 * serialized per answer. Method names, the schema reflection reports and the wire bytes are the
 * generated ones.
 */
@Singleton
public final class EntityGrpcService implements BindableService {

  private final EntityStore store;
  private final CommandDriver driver;
  private final RequestLedger ledger;
  private final EntityRequests requests;

  private final int maxTreeMembers;

  @Inject
  EntityGrpcService(EntityStore store, CommandDriver driver, RequestLedger ledger, StoreSettings settings,
      ServerConfig config) {
    this.store = store;
    this.driver = driver;
    this.ledger = ledger;
    this.requests = new EntityRequests(settings.maxEntityBytes());
    this.maxTreeMembers = config.maxTreeMembers();
  }

  @Override
  public ServerServiceDefinition bindService() {
    MethodDescriptor<CreateEntityWire, EntityVersion> create = WireRequests.reading(
        EntityServiceGrpc.getCreateMethod(), CreateEntityWire.getDefaultInstance(), EntityVersionMarshaller.INSTANCE);
    MethodDescriptor<GetEntityRequest, EntityVersion> get =
        EntityVersionMarshaller.answering(EntityServiceGrpc.getGetMethod());
    MethodDescriptor<UpdateEntityWire, EntityVersion> update = WireRequests.reading(
        EntityServiceGrpc.getUpdateMethod(), UpdateEntityWire.getDefaultInstance(), EntityVersionMarshaller.INSTANCE);
    MethodDescriptor<DeleteEntityRequest, EntityVersion> delete =
        EntityVersionMarshaller.answering(EntityServiceGrpc.getDeleteMethod());
    MethodDescriptor<WriteTreeWire, Reply.TreeWritten> writeTree = WireRequests.reading(
        EntityServiceGrpc.getWriteTreeMethod(), WriteTreeWire.getDefaultInstance(), TreeWrittenMarshaller.INSTANCE);
    ServiceDescriptor service = ServiceDescriptor.newBuilder(EntityServiceGrpc.SERVICE_NAME)
        .setSchemaDescriptor(EntityServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
        .addMethod(create)
        .addMethod(get)
        .addMethod(update)
        .addMethod(delete)
        .addMethod(EntityServiceGrpc.getListMethod())
        .addMethod(EntityServiceGrpc.getHistoryMethod())
        .addMethod(writeTree)
        .addMethod(EntityServiceGrpc.getGetTreeMethod())
        .addMethod(EntityServiceGrpc.getTreeHistoryMethod())
        .addMethod(EntityServiceGrpc.getPromoteTreeMemberMethod())
        .addMethod(EntityServiceGrpc.getAttachTreeMethod())
        .build();
    return ServerServiceDefinition.builder(service)
        .addMethod(create, ServerCalls.asyncUnaryCall(this::create))
        .addMethod(get, ServerCalls.asyncUnaryCall(this::get))
        .addMethod(update, ServerCalls.asyncUnaryCall(this::update))
        .addMethod(delete, ServerCalls.asyncUnaryCall(this::delete))
        .addMethod(EntityServiceGrpc.getListMethod(), ServerCalls.asyncUnaryCall(this::list))
        .addMethod(EntityServiceGrpc.getHistoryMethod(), ServerCalls.asyncUnaryCall(this::history))
        .addMethod(writeTree, ServerCalls.asyncUnaryCall(this::writeTree))
        .addMethod(EntityServiceGrpc.getGetTreeMethod(), ServerCalls.asyncUnaryCall(this::getTree))
        .addMethod(EntityServiceGrpc.getTreeHistoryMethod(), ServerCalls.asyncUnaryCall(this::treeHistory))
        .addMethod(EntityServiceGrpc.getPromoteTreeMemberMethod(), ServerCalls.asyncUnaryCall(this::promoteTreeMember))
        .addMethod(EntityServiceGrpc.getAttachTreeMethod(), ServerCalls.asyncUnaryCall(this::attachTree))
        .build();
  }

  private void create(CreateEntityWire request, StreamObserver<EntityVersion> response) {
    if (UnaryCalls.rejectInvalid(requests.checkCreate(request), response)) {
      return;
    }
    String id = request.getLineageId().isEmpty() ? Ids.newId() : Ids.canonical(request.getLineageId());
    String parentId = request.getParentLineageId().isEmpty() ? "" : Ids.canonical(request.getParentLineageId());
    StructBytes data = StructBytes.merged(request.getDataList());
    ledger.once("Create", request.getRequestId(), () -> WireRequests.asSent(request, CreateEntityRequest.parser()),
        response, key -> UnaryCalls.written(driver.create(key, id, parentId, request.getEntityType(), data)));
  }

  /**
   * What a read waits for: the store's read barrier, which makes it linearizable, or nothing for a
   * serializable read, answered from this member's applied state as it is.
   */
  private CompletableFuture<Void> readBarrier(boolean serializable) {
    return serializable ? CompletableFuture.completedFuture(null) : store.readBarrier();
  }

  private void get(GetEntityRequest request, StreamObserver<EntityVersion> response) {
    UnaryCalls.respondAfter(readBarrier(request.getSerializable()), response, () -> {
      UnaryCalls.requireValid(requests.checkGet(request));
      String id = Ids.canonical(request.getLineageId());
      VersionRead read = store.read(id, request.getVersion());
      if (read.kind() != VersionRead.Kind.FOUND) {
        throw Statuses.readFailed(read, id, request.getVersion());
      }
      return read.entity();
    });
  }

  private void update(UpdateEntityWire request, StreamObserver<EntityVersion> response) {
    if (UnaryCalls.rejectInvalid(requests.checkUpdate(request), response)) {
      return;
    }
    String id = Ids.canonical(request.getLineageId());
    StructBytes data = StructBytes.merged(request.getDataList());
    ledger.once("Update", request.getRequestId(), () -> WireRequests.asSent(request, UpdateEntityRequest.parser()),
        response, key -> UnaryCalls.written(driver.update(key, id, request.getExpectedVersion(), data)));
  }

  private void delete(DeleteEntityRequest request, StreamObserver<EntityVersion> response) {
    if (UnaryCalls.rejectInvalid(requests.checkDelete(request), response)) {
      return;
    }
    String id = Ids.canonical(request.getLineageId());
    ledger.once("Delete", request.getRequestId(), () -> request, response,
        key -> UnaryCalls.written(driver.delete(key, id, request.getExpectedVersion())));
  }

  private void list(ListEntitiesRequest request, StreamObserver<ListEntitiesResponse> response) {
    UnaryCalls.respondAfter(readBarrier(request.getSerializable()), response, () -> {
      UnaryCalls.requireValid(requests.checkList(request));
      EntityPage page =
          store.list(
              request.getEntityType(),
              PageTokens.listPosition(request.getPageToken()),
              RequestChecks.pageSizeOrDefault(request.getPageSize()));
      ListEntitiesResponse.Builder reply = ListEntitiesResponse.newBuilder();
      page.entities().forEach(entity -> reply.addEntities(entity.entity()));
      if (page.hasMore()) {
        reply.setNextPageToken(PageTokens.forList(page.entities().get(page.entities().size() - 1).lineageId()));
      }
      return reply.build();
    });
  }

  private void history(EntityHistoryRequest request, StreamObserver<EntityHistoryResponse> response) {
    UnaryCalls.respondAfter(readBarrier(request.getSerializable()), response, () -> {
      UnaryCalls.requireValid(requests.checkHistory(request));
      String id = Ids.canonical(request.getLineageId());
      HistoryPage page =
          store
              .history(id, PageTokens.historyPosition(request.getPageToken()),
                  RequestChecks.pageSizeOrDefault(request.getPageSize()))
              .orElseThrow(() -> Statuses.notFound(id));
      EntityHistoryResponse.Builder reply =
          EntityHistoryResponse.newBuilder()
              .setOldestRetainedVersion(page.oldestRetained());
      page.versions().forEach(version -> reply.addVersions(version.entity()));
      if (page.nextVersion() != 0) {
        reply.setNextPageToken(PageTokens.forHistory(page.nextVersion()));
      }
      return reply.build();
    });
  }

  private void writeTree(WriteTreeWire request, StreamObserver<Reply.TreeWritten> response) {
    if (UnaryCalls.rejectInvalid(requests.checkWriteTree(request, maxTreeMembers), response)) {
      return;
    }
    String rootId = Ids.canonical(request.getRootLineageId());
    List<Command.MemberChange> changes = TreeChanges.toCommand(request.getChangesList());
    ledger.once("WriteTree", request.getRequestId(), () -> WireRequests.asSent(request, WriteTreeRequest.parser()),
        response, key -> driver.writeTree(key, rootId, request.getExpectedTreeVersion(), changes)
            .thenCompose(UnaryCalls::completed));
  }

  private void promoteTreeMember(PromoteTreeMemberRequest request,
      StreamObserver<PromoteTreeMemberResponse> response) {
    if (UnaryCalls.rejectInvalid(requests.checkPromote(request), response)) {
      return;
    }
    String id = Ids.canonical(request.getLineageId());
    ledger.once("PromoteTreeMember", request.getRequestId(), () -> request, response,
        key -> driver.promote(key, id, request.getExpectedTreeVersion(),
                EntityRequests.structuralPriority(request.getPriority()))
            .thenCompose(UnaryCalls::completed)
            .thenApply(promoted -> {
              PromoteTreeMemberResponse.Builder reply = PromoteTreeMemberResponse.newBuilder()
                  .setOldRootLineageId(promoted.oldRootId()).setTreeVersion(promoted.treeVersion());
              promoted.written().forEach(version -> reply.addWritten(version.entity()));
              return reply.build();
            }));
  }

  private void attachTree(AttachTreeRequest request, StreamObserver<AttachTreeResponse> response) {
    if (UnaryCalls.rejectInvalid(requests.checkAttach(request), response)) {
      return;
    }
    String id = Ids.canonical(request.getLineageId());
    String parentId = Ids.canonical(request.getParentLineageId());
    ledger.once("AttachTree", request.getRequestId(), () -> request, response,
        key -> driver.attach(key, id, request.getExpectedTreeVersion(), parentId,
                request.getExpectedParentTreeVersion(), EntityRequests.structuralPriority(request.getPriority()))
            .thenCompose(UnaryCalls::completed)
            .thenApply(attached -> {
              AttachTreeResponse.Builder reply = AttachTreeResponse.newBuilder()
                  .setRootLineageId(attached.rootId()).setTreeVersion(attached.treeVersion());
              attached.written().forEach(version -> reply.addWritten(version.entity()));
              return reply.build();
            }));
  }

  private void getTree(GetTreeRequest request, StreamObserver<GetTreeResponse> response) {
    UnaryCalls.respondAfter(readBarrier(request.getSerializable()), response, () -> {
      UnaryCalls.requireValid(requests.checkGetTree(request));
      String rootId = Ids.canonical(request.getRootLineageId());
      PageTokens.TreePosition position = PageTokens.treePosition(request.getPageToken());
      long treeVersion = position.treeVersion() != 0 ? position.treeVersion() : request.getTreeVersion();
      TreeRead read = store.readTree(rootId, treeVersion, position.afterLineageId(),
          RequestChecks.pageSizeOrDefault(request.getPageSize()));
      if (read.kind() != TreeRead.Kind.FOUND) {
        throw Statuses.treeReadFailed(read, rootId, treeVersion);
      }
      GetTreeResponse.Builder reply = GetTreeResponse.newBuilder().setRootLineageId(rootId)
          .setTreeVersion(read.treeVersion()).setLastModifiedNs(read.stampNanos());
      read.members().forEach(member -> reply.addMembers(member.entity()));
      if (read.more()) {
        reply.setNextPageToken(PageTokens.forTree(read.treeVersion(),
            read.members().get(read.members().size() - 1).lineageId()));
      }
      return reply.build();
    });
  }

  private void treeHistory(TreeHistoryRequest request, StreamObserver<TreeHistoryResponse> response) {
    UnaryCalls.respondAfter(readBarrier(request.getSerializable()), response, () -> {
      UnaryCalls.requireValid(requests.checkTreeHistory(request));
      String rootId = Ids.canonical(request.getRootLineageId());
      String treeRoot = store.rootOf(rootId);
      if (treeRoot != null && !treeRoot.equals(rootId)) {
        throw Statuses.notARoot(rootId, treeRoot);
      }
      TreeHistoryPage page = store.treeHistory(rootId, PageTokens.treeHistoryPosition(request.getPageToken()),
          RequestChecks.pageSizeOrDefault(request.getPageSize())).orElseThrow(() -> Statuses.notFound(rootId));
      TreeHistoryResponse.Builder reply = TreeHistoryResponse.newBuilder()
          .setOldestRetainedTreeVersion(page.oldestRetained());
      for (TreeHistoryPage.TreeVersion version : page.versions()) {
        TreeVersion.Builder listed = TreeVersion.newBuilder().setTreeVersion(version.treeVersion())
            .setLastModifiedNs(version.stampNanos());
        for (EntityVersion member : version.written()) {
          listed.addChanged(MemberVersion.newBuilder().setLineageId(member.lineageId()).setVersion(member.version())
              .setEcsId(member.ecsId()).setDeleted(member.deleted()).setDerivedFromOpId(member.derivedFromOpId()));
        }
        reply.addVersions(listed);
      }
      if (page.nextTreeVersion() != 0) {
        reply.setNextPageToken(PageTokens.forTreeHistory(page.nextTreeVersion()));
      }
      return reply.build();
    });
  }
}
