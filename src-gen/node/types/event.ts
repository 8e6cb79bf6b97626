import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AbortOperationRequest as _abstractions_v1_AbortOperationRequest, AbortOperationRequest__Output as _abstractions_v1_AbortOperationRequest__Output } from './abstractions/v1/AbortOperationRequest';
import type { AttachTreeRequest as _abstractions_v1_AttachTreeRequest, AttachTreeRequest__Output as _abstractions_v1_AttachTreeRequest__Output } from './abstractions/v1/AttachTreeRequest';
import type { AttachTreeResponse as _abstractions_v1_AttachTreeResponse, AttachTreeResponse__Output as _abstractions_v1_AttachTreeResponse__Output } from './abstractions/v1/AttachTreeResponse';
import type { BeginOperationRequest as _abstractions_v1_BeginOperationRequest, BeginOperationRequest__Output as _abstractions_v1_BeginOperationRequest__Output } from './abstractions/v1/BeginOperationRequest';
import type { BeginOperationResponse as _abstractions_v1_BeginOperationResponse, BeginOperationResponse__Output as _abstractions_v1_BeginOperationResponse__Output } from './abstractions/v1/BeginOperationResponse';
import type { CommitOperationRequest as _abstractions_v1_CommitOperationRequest, CommitOperationRequest__Output as _abstractions_v1_CommitOperationRequest__Output } from './abstractions/v1/CommitOperationRequest';
import type { CommitOperationResponse as _abstractions_v1_CommitOperationResponse, CommitOperationResponse__Output as _abstractions_v1_CommitOperationResponse__Output } from './abstractions/v1/CommitOperationResponse';
import type { CreateEntityRequest as _abstractions_v1_CreateEntityRequest, CreateEntityRequest__Output as _abstractions_v1_CreateEntityRequest__Output } from './abstractions/v1/CreateEntityRequest';
import type { CreateMember as _abstractions_v1_CreateMember, CreateMember__Output as _abstractions_v1_CreateMember__Output } from './abstractions/v1/CreateMember';
import type { DeleteEntityRequest as _abstractions_v1_DeleteEntityRequest, DeleteEntityRequest__Output as _abstractions_v1_DeleteEntityRequest__Output } from './abstractions/v1/DeleteEntityRequest';
import type { DeleteMember as _abstractions_v1_DeleteMember, DeleteMember__Output as _abstractions_v1_DeleteMember__Output } from './abstractions/v1/DeleteMember';
import type { Entity as _abstractions_v1_Entity, Entity__Output as _abstractions_v1_Entity__Output } from './abstractions/v1/Entity';
import type { EntityCreated as _abstractions_v1_EntityCreated, EntityCreated__Output as _abstractions_v1_EntityCreated__Output } from './abstractions/v1/EntityCreated';
import type { EntityDeleted as _abstractions_v1_EntityDeleted, EntityDeleted__Output as _abstractions_v1_EntityDeleted__Output } from './abstractions/v1/EntityDeleted';
import type { EntityHistoryRequest as _abstractions_v1_EntityHistoryRequest, EntityHistoryRequest__Output as _abstractions_v1_EntityHistoryRequest__Output } from './abstractions/v1/EntityHistoryRequest';
import type { EntityHistoryResponse as _abstractions_v1_EntityHistoryResponse, EntityHistoryResponse__Output as _abstractions_v1_EntityHistoryResponse__Output } from './abstractions/v1/EntityHistoryResponse';
import type { EntityServiceClient as _abstractions_v1_EntityServiceClient, EntityServiceDefinition as _abstractions_v1_EntityServiceDefinition } from './abstractions/v1/EntityService';
import type { EntityVersioned as _abstractions_v1_EntityVersioned, EntityVersioned__Output as _abstractions_v1_EntityVersioned__Output } from './abstractions/v1/EntityVersioned';
import type { Event as _abstractions_v1_Event, Event__Output as _abstractions_v1_Event__Output } from './abstractions/v1/Event';
import type { EventFilter as _abstractions_v1_EventFilter, EventFilter__Output as _abstractions_v1_EventFilter__Output } from './abstractions/v1/EventFilter';
import type { EventServiceClient as _abstractions_v1_EventServiceClient, EventServiceDefinition as _abstractions_v1_EventServiceDefinition } from './abstractions/v1/EventService';
import type { ExecuteRequest as _abstractions_v1_ExecuteRequest, ExecuteRequest__Output as _abstractions_v1_ExecuteRequest__Output } from './abstractions/v1/ExecuteRequest';
import type { ExecuteResponse as _abstractions_v1_ExecuteResponse, ExecuteResponse__Output as _abstractions_v1_ExecuteResponse__Output } from './abstractions/v1/ExecuteResponse';
import type { GetEntityRequest as _abstractions_v1_GetEntityRequest, GetEntityRequest__Output as _abstractions_v1_GetEntityRequest__Output } from './abstractions/v1/GetEntityRequest';
import type { GetOperationRequest as _abstractions_v1_GetOperationRequest, GetOperationRequest__Output as _abstractions_v1_GetOperationRequest__Output } from './abstractions/v1/GetOperationRequest';
import type { GetTreeRequest as _abstractions_v1_GetTreeRequest, GetTreeRequest__Output as _abstractions_v1_GetTreeRequest__Output } from './abstractions/v1/GetTreeRequest';
import type { GetTreeResponse as _abstractions_v1_GetTreeResponse, GetTreeResponse__Output as _abstractions_v1_GetTreeResponse__Output } from './abstractions/v1/GetTreeResponse';
import type { KeepAliveRequest as _abstractions_v1_KeepAliveRequest, KeepAliveRequest__Output as _abstractions_v1_KeepAliveRequest__Output } from './abstractions/v1/KeepAliveRequest';
import type { ListEntitiesRequest as _abstractions_v1_ListEntitiesRequest, ListEntitiesRequest__Output as _abstractions_v1_ListEntitiesRequest__Output } from './abstractions/v1/ListEntitiesRequest';
import type { ListEntitiesResponse as _abstractions_v1_ListEntitiesResponse, ListEntitiesResponse__Output as _abstractions_v1_ListEntitiesResponse__Output } from './abstractions/v1/ListEntitiesResponse';
import type { ListOperationsRequest as _abstractions_v1_ListOperationsRequest, ListOperationsRequest__Output as _abstractions_v1_ListOperationsRequest__Output } from './abstractions/v1/ListOperationsRequest';
import type { ListOperationsResponse as _abstractions_v1_ListOperationsResponse, ListOperationsResponse__Output as _abstractions_v1_ListOperationsResponse__Output } from './abstractions/v1/ListOperationsResponse';
import type { MemberChanged as _abstractions_v1_MemberChanged, MemberChanged__Output as _abstractions_v1_MemberChanged__Output } from './abstractions/v1/MemberChanged';
import type { MemberVersion as _abstractions_v1_MemberVersion, MemberVersion__Output as _abstractions_v1_MemberVersion__Output } from './abstractions/v1/MemberVersion';
import type { OperationCancelled as _abstractions_v1_OperationCancelled, OperationCancelled__Output as _abstractions_v1_OperationCancelled__Output } from './abstractions/v1/OperationCancelled';
import type { OperationConflict as _abstractions_v1_OperationConflict, OperationConflict__Output as _abstractions_v1_OperationConflict__Output } from './abstractions/v1/OperationConflict';
import type { OperationEntity as _abstractions_v1_OperationEntity, OperationEntity__Output as _abstractions_v1_OperationEntity__Output } from './abstractions/v1/OperationEntity';
import type { OperationFailed as _abstractions_v1_OperationFailed, OperationFailed__Output as _abstractions_v1_OperationFailed__Output } from './abstractions/v1/OperationFailed';
import type { OperationRejected as _abstractions_v1_OperationRejected, OperationRejected__Output as _abstractions_v1_OperationRejected__Output } from './abstractions/v1/OperationRejected';
import type { OperationRetry as _abstractions_v1_OperationRetry, OperationRetry__Output as _abstractions_v1_OperationRetry__Output } from './abstractions/v1/OperationRetry';
import type { OperationServiceClient as _abstractions_v1_OperationServiceClient, OperationServiceDefinition as _abstractions_v1_OperationServiceDefinition } from './abstractions/v1/OperationService';
import type { OperationStarted as _abstractions_v1_OperationStarted, OperationStarted__Output as _abstractions_v1_OperationStarted__Output } from './abstractions/v1/OperationStarted';
import type { OperationSucceeded as _abstractions_v1_OperationSucceeded, OperationSucceeded__Output as _abstractions_v1_OperationSucceeded__Output } from './abstractions/v1/OperationSucceeded';
import type { Progress as _abstractions_v1_Progress, Progress__Output as _abstractions_v1_Progress__Output } from './abstractions/v1/Progress';
import type { PromoteTreeMemberRequest as _abstractions_v1_PromoteTreeMemberRequest, PromoteTreeMemberRequest__Output as _abstractions_v1_PromoteTreeMemberRequest__Output } from './abstractions/v1/PromoteTreeMemberRequest';
import type { PromoteTreeMemberResponse as _abstractions_v1_PromoteTreeMemberResponse, PromoteTreeMemberResponse__Output as _abstractions_v1_PromoteTreeMemberResponse__Output } from './abstractions/v1/PromoteTreeMemberResponse';
import type { SubscribeRequest as _abstractions_v1_SubscribeRequest, SubscribeRequest__Output as _abstractions_v1_SubscribeRequest__Output } from './abstractions/v1/SubscribeRequest';
import type { TreeAttached as _abstractions_v1_TreeAttached, TreeAttached__Output as _abstractions_v1_TreeAttached__Output } from './abstractions/v1/TreeAttached';
import type { TreeChange as _abstractions_v1_TreeChange, TreeChange__Output as _abstractions_v1_TreeChange__Output } from './abstractions/v1/TreeChange';
import type { TreeChanged as _abstractions_v1_TreeChanged, TreeChanged__Output as _abstractions_v1_TreeChanged__Output } from './abstractions/v1/TreeChanged';
import type { TreeHistoryRequest as _abstractions_v1_TreeHistoryRequest, TreeHistoryRequest__Output as _abstractions_v1_TreeHistoryRequest__Output } from './abstractions/v1/TreeHistoryRequest';
import type { TreeHistoryResponse as _abstractions_v1_TreeHistoryResponse, TreeHistoryResponse__Output as _abstractions_v1_TreeHistoryResponse__Output } from './abstractions/v1/TreeHistoryResponse';
import type { TreePromoted as _abstractions_v1_TreePromoted, TreePromoted__Output as _abstractions_v1_TreePromoted__Output } from './abstractions/v1/TreePromoted';
import type { TreeVersion as _abstractions_v1_TreeVersion, TreeVersion__Output as _abstractions_v1_TreeVersion__Output } from './abstractions/v1/TreeVersion';
import type { UpdateEntityRequest as _abstractions_v1_UpdateEntityRequest, UpdateEntityRequest__Output as _abstractions_v1_UpdateEntityRequest__Output } from './abstractions/v1/UpdateEntityRequest';
import type { UpdateMember as _abstractions_v1_UpdateMember, UpdateMember__Output as _abstractions_v1_UpdateMember__Output } from './abstractions/v1/UpdateMember';
import type { WriteTreeRequest as _abstractions_v1_WriteTreeRequest, WriteTreeRequest__Output as _abstractions_v1_WriteTreeRequest__Output } from './abstractions/v1/WriteTreeRequest';
import type { WriteTreeResponse as _abstractions_v1_WriteTreeResponse, WriteTreeResponse__Output as _abstractions_v1_WriteTreeResponse__Output } from './abstractions/v1/WriteTreeResponse';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration';
import type { ListValue as _google_protobuf_ListValue, ListValue__Output as _google_protobuf_ListValue__Output } from './google/protobuf/ListValue';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from './google/protobuf/Struct';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from './google/protobuf/Value';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  abstractions: {
    v1: {
      AbortOperationRequest: MessageTypeDefinition<_abstractions_v1_AbortOperationRequest, _abstractions_v1_AbortOperationRequest__Output>
      AttachTreeRequest: MessageTypeDefinition<_abstractions_v1_AttachTreeRequest, _abstractions_v1_AttachTreeRequest__Output>
      AttachTreeResponse: MessageTypeDefinition<_abstractions_v1_AttachTreeResponse, _abstractions_v1_AttachTreeResponse__Output>
      BeginOperationRequest: MessageTypeDefinition<_abstractions_v1_BeginOperationRequest, _abstractions_v1_BeginOperationRequest__Output>
      BeginOperationResponse: MessageTypeDefinition<_abstractions_v1_BeginOperationResponse, _abstractions_v1_BeginOperationResponse__Output>
      CommitOperationRequest: MessageTypeDefinition<_abstractions_v1_CommitOperationRequest, _abstractions_v1_CommitOperationRequest__Output>
      CommitOperationResponse: MessageTypeDefinition<_abstractions_v1_CommitOperationResponse, _abstractions_v1_CommitOperationResponse__Output>
      CommitOutcome: EnumTypeDefinition
      CreateEntityRequest: MessageTypeDefinition<_abstractions_v1_CreateEntityRequest, _abstractions_v1_CreateEntityRequest__Output>
      CreateMember: MessageTypeDefinition<_abstractions_v1_CreateMember, _abstractions_v1_CreateMember__Output>
      DeleteEntityRequest: MessageTypeDefinition<_abstractions_v1_DeleteEntityRequest, _abstractions_v1_DeleteEntityRequest__Output>
      DeleteMember: MessageTypeDefinition<_abstractions_v1_DeleteMember, _abstractions_v1_DeleteMember__Output>
      Entity: MessageTypeDefinition<_abstractions_v1_Entity, _abstractions_v1_Entity__Output>
      EntityCreated: MessageTypeDefinition<_abstractions_v1_EntityCreated, _abstractions_v1_EntityCreated__Output>
      EntityDeleted: MessageTypeDefinition<_abstractions_v1_EntityDeleted, _abstractions_v1_EntityDeleted__Output>
      EntityHistoryRequest: MessageTypeDefinition<_abstractions_v1_EntityHistoryRequest, _abstractions_v1_EntityHistoryRequest__Output>
      EntityHistoryResponse: MessageTypeDefinition<_abstractions_v1_EntityHistoryResponse, _abstractions_v1_EntityHistoryResponse__Output>
      EntityService: SubtypeConstructor<typeof grpc.Client, _abstractions_v1_EntityServiceClient> & { service: _abstractions_v1_EntityServiceDefinition }
      EntityVersioned: MessageTypeDefinition<_abstractions_v1_EntityVersioned, _abstractions_v1_EntityVersioned__Output>
      Event: MessageTypeDefinition<_abstractions_v1_Event, _abstractions_v1_Event__Output>
      EventFilter: MessageTypeDefinition<_abstractions_v1_EventFilter, _abstractions_v1_EventFilter__Output>
      EventKind: EnumTypeDefinition
      EventService: SubtypeConstructor<typeof grpc.Client, _abstractions_v1_EventServiceClient> & { service: _abstractions_v1_EventServiceDefinition }
      ExecuteRequest: MessageTypeDefinition<_abstractions_v1_ExecuteRequest, _abstractions_v1_ExecuteRequest__Output>
      ExecuteResponse: MessageTypeDefinition<_abstractions_v1_ExecuteResponse, _abstractions_v1_ExecuteResponse__Output>
      GetEntityRequest: MessageTypeDefinition<_abstractions_v1_GetEntityRequest, _abstractions_v1_GetEntityRequest__Output>
      GetOperationRequest: MessageTypeDefinition<_abstractions_v1_GetOperationRequest, _abstractions_v1_GetOperationRequest__Output>
      GetTreeRequest: MessageTypeDefinition<_abstractions_v1_GetTreeRequest, _abstractions_v1_GetTreeRequest__Output>
      GetTreeResponse: MessageTypeDefinition<_abstractions_v1_GetTreeResponse, _abstractions_v1_GetTreeResponse__Output>
      KeepAliveRequest: MessageTypeDefinition<_abstractions_v1_KeepAliveRequest, _abstractions_v1_KeepAliveRequest__Output>
      ListEntitiesRequest: MessageTypeDefinition<_abstractions_v1_ListEntitiesRequest, _abstractions_v1_ListEntitiesRequest__Output>
      ListEntitiesResponse: MessageTypeDefinition<_abstractions_v1_ListEntitiesResponse, _abstractions_v1_ListEntitiesResponse__Output>
      ListOperationsRequest: MessageTypeDefinition<_abstractions_v1_ListOperationsRequest, _abstractions_v1_ListOperationsRequest__Output>
      ListOperationsResponse: MessageTypeDefinition<_abstractions_v1_ListOperationsResponse, _abstractions_v1_ListOperationsResponse__Output>
      MemberChanged: MessageTypeDefinition<_abstractions_v1_MemberChanged, _abstractions_v1_MemberChanged__Output>
      MemberVersion: MessageTypeDefinition<_abstractions_v1_MemberVersion, _abstractions_v1_MemberVersion__Output>
      OperationCancelled: MessageTypeDefinition<_abstractions_v1_OperationCancelled, _abstractions_v1_OperationCancelled__Output>
      OperationConflict: MessageTypeDefinition<_abstractions_v1_OperationConflict, _abstractions_v1_OperationConflict__Output>
      OperationEntity: MessageTypeDefinition<_abstractions_v1_OperationEntity, _abstractions_v1_OperationEntity__Output>
      OperationFailed: MessageTypeDefinition<_abstractions_v1_OperationFailed, _abstractions_v1_OperationFailed__Output>
      OperationRejected: MessageTypeDefinition<_abstractions_v1_OperationRejected, _abstractions_v1_OperationRejected__Output>
      OperationRetry: MessageTypeDefinition<_abstractions_v1_OperationRetry, _abstractions_v1_OperationRetry__Output>
      OperationService: SubtypeConstructor<typeof grpc.Client, _abstractions_v1_OperationServiceClient> & { service: _abstractions_v1_OperationServiceDefinition }
      OperationStarted: MessageTypeDefinition<_abstractions_v1_OperationStarted, _abstractions_v1_OperationStarted__Output>
      OperationStatus: EnumTypeDefinition
      OperationSucceeded: MessageTypeDefinition<_abstractions_v1_OperationSucceeded, _abstractions_v1_OperationSucceeded__Output>
      PriorityClass: EnumTypeDefinition
      Progress: MessageTypeDefinition<_abstractions_v1_Progress, _abstractions_v1_Progress__Output>
      PromoteTreeMemberRequest: MessageTypeDefinition<_abstractions_v1_PromoteTreeMemberRequest, _abstractions_v1_PromoteTreeMemberRequest__Output>
      PromoteTreeMemberResponse: MessageTypeDefinition<_abstractions_v1_PromoteTreeMemberResponse, _abstractions_v1_PromoteTreeMemberResponse__Output>
      RejectionReason: EnumTypeDefinition
      SubscribeRequest: MessageTypeDefinition<_abstractions_v1_SubscribeRequest, _abstractions_v1_SubscribeRequest__Output>
      TreeAttached: MessageTypeDefinition<_abstractions_v1_TreeAttached, _abstractions_v1_TreeAttached__Output>
      TreeChange: MessageTypeDefinition<_abstractions_v1_TreeChange, _abstractions_v1_TreeChange__Output>
      TreeChanged: MessageTypeDefinition<_abstractions_v1_TreeChanged, _abstractions_v1_TreeChanged__Output>
      TreeHistoryRequest: MessageTypeDefinition<_abstractions_v1_TreeHistoryRequest, _abstractions_v1_TreeHistoryRequest__Output>
      TreeHistoryResponse: MessageTypeDefinition<_abstractions_v1_TreeHistoryResponse, _abstractions_v1_TreeHistoryResponse__Output>
      TreePromoted: MessageTypeDefinition<_abstractions_v1_TreePromoted, _abstractions_v1_TreePromoted__Output>
      TreeVersion: MessageTypeDefinition<_abstractions_v1_TreeVersion, _abstractions_v1_TreeVersion__Output>
      UpdateEntityRequest: MessageTypeDefinition<_abstractions_v1_UpdateEntityRequest, _abstractions_v1_UpdateEntityRequest__Output>
      UpdateMember: MessageTypeDefinition<_abstractions_v1_UpdateMember, _abstractions_v1_UpdateMember__Output>
      WriteTreeRequest: MessageTypeDefinition<_abstractions_v1_WriteTreeRequest, _abstractions_v1_WriteTreeRequest__Output>
      WriteTreeResponse: MessageTypeDefinition<_abstractions_v1_WriteTreeResponse, _abstractions_v1_WriteTreeResponse__Output>
    }
  }
  google: {
    protobuf: {
      Duration: MessageTypeDefinition<_google_protobuf_Duration, _google_protobuf_Duration__Output>
      ListValue: MessageTypeDefinition<_google_protobuf_ListValue, _google_protobuf_ListValue__Output>
      NullValue: EnumTypeDefinition
      Struct: MessageTypeDefinition<_google_protobuf_Struct, _google_protobuf_Struct__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
      Value: MessageTypeDefinition<_google_protobuf_Value, _google_protobuf_Value__Output>
    }
  }
}

