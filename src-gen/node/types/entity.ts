import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CreateEntityRequest as _abstractions_v1_CreateEntityRequest, CreateEntityRequest__Output as _abstractions_v1_CreateEntityRequest__Output } from './abstractions/v1/CreateEntityRequest';
import type { DeleteEntityRequest as _abstractions_v1_DeleteEntityRequest, DeleteEntityRequest__Output as _abstractions_v1_DeleteEntityRequest__Output } from './abstractions/v1/DeleteEntityRequest';
import type { Entity as _abstractions_v1_Entity, Entity__Output as _abstractions_v1_Entity__Output } from './abstractions/v1/Entity';
import type { EntityHistoryRequest as _abstractions_v1_EntityHistoryRequest, EntityHistoryRequest__Output as _abstractions_v1_EntityHistoryRequest__Output } from './abstractions/v1/EntityHistoryRequest';
import type { EntityHistoryResponse as _abstractions_v1_EntityHistoryResponse, EntityHistoryResponse__Output as _abstractions_v1_EntityHistoryResponse__Output } from './abstractions/v1/EntityHistoryResponse';
import type { EntityServiceClient as _abstractions_v1_EntityServiceClient, EntityServiceDefinition as _abstractions_v1_EntityServiceDefinition } from './abstractions/v1/EntityService';
import type { GetEntityRequest as _abstractions_v1_GetEntityRequest, GetEntityRequest__Output as _abstractions_v1_GetEntityRequest__Output } from './abstractions/v1/GetEntityRequest';
import type { ListEntitiesRequest as _abstractions_v1_ListEntitiesRequest, ListEntitiesRequest__Output as _abstractions_v1_ListEntitiesRequest__Output } from './abstractions/v1/ListEntitiesRequest';
import type { ListEntitiesResponse as _abstractions_v1_ListEntitiesResponse, ListEntitiesResponse__Output as _abstractions_v1_ListEntitiesResponse__Output } from './abstractions/v1/ListEntitiesResponse';
import type { UpdateEntityRequest as _abstractions_v1_UpdateEntityRequest, UpdateEntityRequest__Output as _abstractions_v1_UpdateEntityRequest__Output } from './abstractions/v1/UpdateEntityRequest';
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
      CreateEntityRequest: MessageTypeDefinition<_abstractions_v1_CreateEntityRequest, _abstractions_v1_CreateEntityRequest__Output>
      DeleteEntityRequest: MessageTypeDefinition<_abstractions_v1_DeleteEntityRequest, _abstractions_v1_DeleteEntityRequest__Output>
      Entity: MessageTypeDefinition<_abstractions_v1_Entity, _abstractions_v1_Entity__Output>
      EntityHistoryRequest: MessageTypeDefinition<_abstractions_v1_EntityHistoryRequest, _abstractions_v1_EntityHistoryRequest__Output>
      EntityHistoryResponse: MessageTypeDefinition<_abstractions_v1_EntityHistoryResponse, _abstractions_v1_EntityHistoryResponse__Output>
      EntityService: SubtypeConstructor<typeof grpc.Client, _abstractions_v1_EntityServiceClient> & { service: _abstractions_v1_EntityServiceDefinition }
      GetEntityRequest: MessageTypeDefinition<_abstractions_v1_GetEntityRequest, _abstractions_v1_GetEntityRequest__Output>
      ListEntitiesRequest: MessageTypeDefinition<_abstractions_v1_ListEntitiesRequest, _abstractions_v1_ListEntitiesRequest__Output>
      ListEntitiesResponse: MessageTypeDefinition<_abstractions_v1_ListEntitiesResponse, _abstractions_v1_ListEntitiesResponse__Output>
      UpdateEntityRequest: MessageTypeDefinition<_abstractions_v1_UpdateEntityRequest, _abstractions_v1_UpdateEntityRequest__Output>
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

