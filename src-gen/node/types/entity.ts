import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AttachTreeRequest as _abstractions_v1_AttachTreeRequest, AttachTreeRequest__Output as _abstractions_v1_AttachTreeRequest__Output } from './abstractions/v1/AttachTreeRequest';
import type { AttachTreeResponse as _abstractions_v1_AttachTreeResponse, AttachTreeResponse__Output as _abstractions_v1_AttachTreeResponse__Output } from './abstractions/v1/AttachTreeResponse';
import type { CreateEntityRequest as _abstractions_v1_CreateEntityRequest, CreateEntityRequest__Output as _abstractions_v1_CreateEntityRequest__Output } from './abstractions/v1/CreateEntityRequest';
import type { CreateMember as _abstractions_v1_CreateMember, CreateMember__Output as _abstractions_v1_CreateMember__Output } from './abstractions/v1/CreateMember';
import type { DeleteEntityRequest as _abstractions_v1_DeleteEntityRequest, DeleteEntityRequest__Output as _abstractions_v1_DeleteEntityRequest__Output } from './abstractions/v1/DeleteEntityRequest';
import type { DeleteMember as _abstractions_v1_DeleteMember, DeleteMember__Output as _abstractions_v1_DeleteMember__Output } from './abstractions/v1/DeleteMember';
import type { Entity as _abstractions_v1_Entity, Entity__Output as _abstractions_v1_Entity__Output } from './abstractions/v1/Entity';
import type { EntityHistoryRequest as _abstractions_v1_EntityHistoryRequest, EntityHistoryRequest__Output as _abstractions_v1_EntityHistoryRequest__Output } from './abstractions/v1/EntityHistoryRequest';
import type { EntityHistoryResponse as _abstractions_v1_EntityHistoryResponse, EntityHistoryResponse__Output as _abstractions_v1_EntityHistoryResponse__Output } from './abstractions/v1/EntityHistoryResponse';
import type { EntityServiceClient as _abstractions_v1_EntityServiceClient, EntityServiceDefinition as _abstractions_v1_EntityServiceDefinition } from './abstractions/v1/EntityService';
import type { GetEntityRequest as _abstractions_v1_GetEntityRequest, GetEntityRequest__Output as _abstractions_v1_GetEntityRequest__Output } from './abstractions/v1/GetEntityRequest';
import type { GetTreeRequest as _abstractions_v1_GetTreeRequest, GetTreeRequest__Output as _abstractions_v1_GetTreeRequest__Output } from './abstractions/v1/GetTreeRequest';
import type { GetTreeResponse as _abstractions_v1_GetTreeResponse, GetTreeResponse__Output as _abstractions_v1_GetTreeResponse__Output } from './abstractions/v1/GetTreeResponse';
import type { ListEntitiesRequest as _abstractions_v1_ListEntitiesRequest, ListEntitiesRequest__Output as _abstractions_v1_ListEntitiesRequest__Output } from './abstractions/v1/ListEntitiesRequest';
import type { ListEntitiesResponse as _abstractions_v1_ListEntitiesResponse, ListEntitiesResponse__Output as _abstractions_v1_ListEntitiesResponse__Output } from './abstractions/v1/ListEntitiesResponse';
import type { MemberVersion as _abstractions_v1_MemberVersion, MemberVersion__Output as _abstractions_v1_MemberVersion__Output } from './abstractions/v1/MemberVersion';
import type { PromoteTreeMemberRequest as _abstractions_v1_PromoteTreeMemberRequest, PromoteTreeMemberRequest__Output as _abstractions_v1_PromoteTreeMemberRequest__Output } from './abstractions/v1/PromoteTreeMemberRequest';
import type { PromoteTreeMemberResponse as _abstractions_v1_PromoteTreeMemberResponse, PromoteTreeMemberResponse__Output as _abstractions_v1_PromoteTreeMemberResponse__Output } from './abstractions/v1/PromoteTreeMemberResponse';
import type { TreeChange as _abstractions_v1_TreeChange, TreeChange__Output as _abstractions_v1_TreeChange__Output } from './abstractions/v1/TreeChange';
import type { TreeHistoryRequest as _abstractions_v1_TreeHistoryRequest, TreeHistoryRequest__Output as _abstractions_v1_TreeHistoryRequest__Output } from './abstractions/v1/TreeHistoryRequest';
import type { TreeHistoryResponse as _abstractions_v1_TreeHistoryResponse, TreeHistoryResponse__Output as _abstractions_v1_TreeHistoryResponse__Output } from './abstractions/v1/TreeHistoryResponse';
import type { TreeVersion as _abstractions_v1_TreeVersion, TreeVersion__Output as _abstractions_v1_TreeVersion__Output } from './abstractions/v1/TreeVersion';
import type { UpdateEntityRequest as _abstractions_v1_UpdateEntityRequest, UpdateEntityRequest__Output as _abstractions_v1_UpdateEntityRequest__Output } from './abstractions/v1/UpdateEntityRequest';
import type { UpdateMember as _abstractions_v1_UpdateMember, UpdateMember__Output as _abstractions_v1_UpdateMember__Output } from './abstractions/v1/UpdateMember';
import type { WriteTreeRequest as _abstractions_v1_WriteTreeRequest, WriteTreeRequest__Output as _abstractions_v1_WriteTreeRequest__Output } from './abstractions/v1/WriteTreeRequest';
import type { WriteTreeResponse as _abstractions_v1_WriteTreeResponse, WriteTreeResponse__Output as _abstractions_v1_WriteTreeResponse__Output } from './abstractions/v1/WriteTreeResponse';
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
      AttachTreeRequest: MessageTypeDefinition<_abstractions_v1_AttachTreeRequest, _abstractions_v1_AttachTreeRequest__Output>
      AttachTreeResponse: MessageTypeDefinition<_abstractions_v1_AttachTreeResponse, _abstractions_v1_AttachTreeResponse__Output>
      CreateEntityRequest: MessageTypeDefinition<_abstractions_v1_CreateEntityRequest, _abstractions_v1_CreateEntityRequest__Output>
      CreateMember: MessageTypeDefinition<_abstractions_v1_CreateMember, _abstractions_v1_CreateMember__Output>
      DeleteEntityRequest: MessageTypeDefinition<_abstractions_v1_DeleteEntityRequest, _abstractions_v1_DeleteEntityRequest__Output>
      DeleteMember: MessageTypeDefinition<_abstractions_v1_DeleteMember, _abstractions_v1_DeleteMember__Output>
      Entity: MessageTypeDefinition<_abstractions_v1_Entity, _abstractions_v1_Entity__Output>
      EntityHistoryRequest: MessageTypeDefinition<_abstractions_v1_EntityHistoryRequest, _abstractions_v1_EntityHistoryRequest__Output>
      EntityHistoryResponse: MessageTypeDefinition<_abstractions_v1_EntityHistoryResponse, _abstractions_v1_EntityHistoryResponse__Output>
      EntityService: SubtypeConstructor<typeof grpc.Client, _abstractions_v1_EntityServiceClient> & { service: _abstractions_v1_EntityServiceDefinition }
      GetEntityRequest: MessageTypeDefinition<_abstractions_v1_GetEntityRequest, _abstractions_v1_GetEntityRequest__Output>
      GetTreeRequest: MessageTypeDefinition<_abstractions_v1_GetTreeRequest, _abstractions_v1_GetTreeRequest__Output>
      GetTreeResponse: MessageTypeDefinition<_abstractions_v1_GetTreeResponse, _abstractions_v1_GetTreeResponse__Output>
      ListEntitiesRequest: MessageTypeDefinition<_abstractions_v1_ListEntitiesRequest, _abstractions_v1_ListEntitiesRequest__Output>
      ListEntitiesResponse: MessageTypeDefinition<_abstractions_v1_ListEntitiesResponse, _abstractions_v1_ListEntitiesResponse__Output>
      MemberVersion: MessageTypeDefinition<_abstractions_v1_MemberVersion, _abstractions_v1_MemberVersion__Output>
      PromoteTreeMemberRequest: MessageTypeDefinition<_abstractions_v1_PromoteTreeMemberRequest, _abstractions_v1_PromoteTreeMemberRequest__Output>
      PromoteTreeMemberResponse: MessageTypeDefinition<_abstractions_v1_PromoteTreeMemberResponse, _abstractions_v1_PromoteTreeMemberResponse__Output>
      TreeChange: MessageTypeDefinition<_abstractions_v1_TreeChange, _abstractions_v1_TreeChange__Output>
      TreeHistoryRequest: MessageTypeDefinition<_abstractions_v1_TreeHistoryRequest, _abstractions_v1_TreeHistoryRequest__Output>
      TreeHistoryResponse: MessageTypeDefinition<_abstractions_v1_TreeHistoryResponse, _abstractions_v1_TreeHistoryResponse__Output>
      TreeVersion: MessageTypeDefinition<_abstractions_v1_TreeVersion, _abstractions_v1_TreeVersion__Output>
      UpdateEntityRequest: MessageTypeDefinition<_abstractions_v1_UpdateEntityRequest, _abstractions_v1_UpdateEntityRequest__Output>
      UpdateMember: MessageTypeDefinition<_abstractions_v1_UpdateMember, _abstractions_v1_UpdateMember__Output>
      WriteTreeRequest: MessageTypeDefinition<_abstractions_v1_WriteTreeRequest, _abstractions_v1_WriteTreeRequest__Output>
      WriteTreeResponse: MessageTypeDefinition<_abstractions_v1_WriteTreeResponse, _abstractions_v1_WriteTreeResponse__Output>
    }
  }
  google: {
    protobuf: {
      ListValue: MessageTypeDefinition<_google_protobuf_ListValue, _google_protobuf_ListValue__Output>
      NullValue: EnumTypeDefinition
      Struct: MessageTypeDefinition<_google_protobuf_Struct, _google_protobuf_Struct__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
      Value: MessageTypeDefinition<_google_protobuf_Value, _google_protobuf_Value__Output>
    }
  }
}

