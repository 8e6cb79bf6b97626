// Original file: abstractions/v1/entity.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AttachTreeRequest as _abstractions_v1_AttachTreeRequest, AttachTreeRequest__Output as _abstractions_v1_AttachTreeRequest__Output } from '../../abstractions/v1/AttachTreeRequest';
import type { AttachTreeResponse as _abstractions_v1_AttachTreeResponse, AttachTreeResponse__Output as _abstractions_v1_AttachTreeResponse__Output } from '../../abstractions/v1/AttachTreeResponse';
import type { CreateEntityRequest as _abstractions_v1_CreateEntityRequest, CreateEntityRequest__Output as _abstractions_v1_CreateEntityRequest__Output } from '../../abstractions/v1/CreateEntityRequest';
import type { DeleteEntityRequest as _abstractions_v1_DeleteEntityRequest, DeleteEntityRequest__Output as _abstractions_v1_DeleteEntityRequest__Output } from '../../abstractions/v1/DeleteEntityRequest';
import type { Entity as _abstractions_v1_Entity, Entity__Output as _abstractions_v1_Entity__Output } from '../../abstractions/v1/Entity';
import type { EntityHistoryRequest as _abstractions_v1_EntityHistoryRequest, EntityHistoryRequest__Output as _abstractions_v1_EntityHistoryRequest__Output } from '../../abstractions/v1/EntityHistoryRequest';
import type { EntityHistoryResponse as _abstractions_v1_EntityHistoryResponse, EntityHistoryResponse__Output as _abstractions_v1_EntityHistoryResponse__Output } from '../../abstractions/v1/EntityHistoryResponse';
import type { GetEntityRequest as _abstractions_v1_GetEntityRequest, GetEntityRequest__Output as _abstractions_v1_GetEntityRequest__Output } from '../../abstractions/v1/GetEntityRequest';
import type { GetTreeRequest as _abstractions_v1_GetTreeRequest, GetTreeRequest__Output as _abstractions_v1_GetTreeRequest__Output } from '../../abstractions/v1/GetTreeRequest';
import type { GetTreeResponse as _abstractions_v1_GetTreeResponse, GetTreeResponse__Output as _abstractions_v1_GetTreeResponse__Output } from '../../abstractions/v1/GetTreeResponse';
import type { ListEntitiesRequest as _abstractions_v1_ListEntitiesRequest, ListEntitiesRequest__Output as _abstractions_v1_ListEntitiesRequest__Output } from '../../abstractions/v1/ListEntitiesRequest';
import type { ListEntitiesResponse as _abstractions_v1_ListEntitiesResponse, ListEntitiesResponse__Output as _abstractions_v1_ListEntitiesResponse__Output } from '../../abstractions/v1/ListEntitiesResponse';
import type { PromoteTreeMemberRequest as _abstractions_v1_PromoteTreeMemberRequest, PromoteTreeMemberRequest__Output as _abstractions_v1_PromoteTreeMemberRequest__Output } from '../../abstractions/v1/PromoteTreeMemberRequest';
import type { PromoteTreeMemberResponse as _abstractions_v1_PromoteTreeMemberResponse, PromoteTreeMemberResponse__Output as _abstractions_v1_PromoteTreeMemberResponse__Output } from '../../abstractions/v1/PromoteTreeMemberResponse';
import type { TreeHistoryRequest as _abstractions_v1_TreeHistoryRequest, TreeHistoryRequest__Output as _abstractions_v1_TreeHistoryRequest__Output } from '../../abstractions/v1/TreeHistoryRequest';
import type { TreeHistoryResponse as _abstractions_v1_TreeHistoryResponse, TreeHistoryResponse__Output as _abstractions_v1_TreeHistoryResponse__Output } from '../../abstractions/v1/TreeHistoryResponse';
import type { UpdateEntityRequest as _abstractions_v1_UpdateEntityRequest, UpdateEntityRequest__Output as _abstractions_v1_UpdateEntityRequest__Output } from '../../abstractions/v1/UpdateEntityRequest';
import type { WriteTreeRequest as _abstractions_v1_WriteTreeRequest, WriteTreeRequest__Output as _abstractions_v1_WriteTreeRequest__Output } from '../../abstractions/v1/WriteTreeRequest';
import type { WriteTreeResponse as _abstractions_v1_WriteTreeResponse, WriteTreeResponse__Output as _abstractions_v1_WriteTreeResponse__Output } from '../../abstractions/v1/WriteTreeResponse';

export interface EntityServiceClient extends grpc.Client {
  AttachTree(argument: _abstractions_v1_AttachTreeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_AttachTreeResponse__Output>): grpc.ClientUnaryCall;
  AttachTree(argument: _abstractions_v1_AttachTreeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_AttachTreeResponse__Output>): grpc.ClientUnaryCall;
  AttachTree(argument: _abstractions_v1_AttachTreeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_AttachTreeResponse__Output>): grpc.ClientUnaryCall;
  AttachTree(argument: _abstractions_v1_AttachTreeRequest, callback: grpc.requestCallback<_abstractions_v1_AttachTreeResponse__Output>): grpc.ClientUnaryCall;
  attachTree(argument: _abstractions_v1_AttachTreeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_AttachTreeResponse__Output>): grpc.ClientUnaryCall;
  attachTree(argument: _abstractions_v1_AttachTreeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_AttachTreeResponse__Output>): grpc.ClientUnaryCall;
  attachTree(argument: _abstractions_v1_AttachTreeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_AttachTreeResponse__Output>): grpc.ClientUnaryCall;
  attachTree(argument: _abstractions_v1_AttachTreeRequest, callback: grpc.requestCallback<_abstractions_v1_AttachTreeResponse__Output>): grpc.ClientUnaryCall;
  
  Create(argument: _abstractions_v1_CreateEntityRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  Create(argument: _abstractions_v1_CreateEntityRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  Create(argument: _abstractions_v1_CreateEntityRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  Create(argument: _abstractions_v1_CreateEntityRequest, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  create(argument: _abstractions_v1_CreateEntityRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  create(argument: _abstractions_v1_CreateEntityRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  create(argument: _abstractions_v1_CreateEntityRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  create(argument: _abstractions_v1_CreateEntityRequest, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _abstractions_v1_DeleteEntityRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  Delete(argument: _abstractions_v1_DeleteEntityRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  Delete(argument: _abstractions_v1_DeleteEntityRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  Delete(argument: _abstractions_v1_DeleteEntityRequest, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  delete(argument: _abstractions_v1_DeleteEntityRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  delete(argument: _abstractions_v1_DeleteEntityRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  delete(argument: _abstractions_v1_DeleteEntityRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  delete(argument: _abstractions_v1_DeleteEntityRequest, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _abstractions_v1_GetEntityRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  Get(argument: _abstractions_v1_GetEntityRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  Get(argument: _abstractions_v1_GetEntityRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  Get(argument: _abstractions_v1_GetEntityRequest, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  get(argument: _abstractions_v1_GetEntityRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  get(argument: _abstractions_v1_GetEntityRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  get(argument: _abstractions_v1_GetEntityRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  get(argument: _abstractions_v1_GetEntityRequest, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  
  GetTree(argument: _abstractions_v1_GetTreeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  GetTree(argument: _abstractions_v1_GetTreeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  GetTree(argument: _abstractions_v1_GetTreeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  GetTree(argument: _abstractions_v1_GetTreeRequest, callback: grpc.requestCallback<_abstractions_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  getTree(argument: _abstractions_v1_GetTreeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  getTree(argument: _abstractions_v1_GetTreeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  getTree(argument: _abstractions_v1_GetTreeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  getTree(argument: _abstractions_v1_GetTreeRequest, callback: grpc.requestCallback<_abstractions_v1_GetTreeResponse__Output>): grpc.ClientUnaryCall;
  
  History(argument: _abstractions_v1_EntityHistoryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_EntityHistoryResponse__Output>): grpc.ClientUnaryCall;
  History(argument: _abstractions_v1_EntityHistoryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_EntityHistoryResponse__Output>): grpc.ClientUnaryCall;
  History(argument: _abstractions_v1_EntityHistoryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_EntityHistoryResponse__Output>): grpc.ClientUnaryCall;
  History(argument: _abstractions_v1_EntityHistoryRequest, callback: grpc.requestCallback<_abstractions_v1_EntityHistoryResponse__Output>): grpc.ClientUnaryCall;
  history(argument: _abstractions_v1_EntityHistoryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_EntityHistoryResponse__Output>): grpc.ClientUnaryCall;
  history(argument: _abstractions_v1_EntityHistoryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_EntityHistoryResponse__Output>): grpc.ClientUnaryCall;
  history(argument: _abstractions_v1_EntityHistoryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_EntityHistoryResponse__Output>): grpc.ClientUnaryCall;
  history(argument: _abstractions_v1_EntityHistoryRequest, callback: grpc.requestCallback<_abstractions_v1_EntityHistoryResponse__Output>): grpc.ClientUnaryCall;
  
  List(argument: _abstractions_v1_ListEntitiesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_ListEntitiesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _abstractions_v1_ListEntitiesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_ListEntitiesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _abstractions_v1_ListEntitiesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_ListEntitiesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _abstractions_v1_ListEntitiesRequest, callback: grpc.requestCallback<_abstractions_v1_ListEntitiesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _abstractions_v1_ListEntitiesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_ListEntitiesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _abstractions_v1_ListEntitiesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_ListEntitiesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _abstractions_v1_ListEntitiesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_ListEntitiesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _abstractions_v1_ListEntitiesRequest, callback: grpc.requestCallback<_abstractions_v1_ListEntitiesResponse__Output>): grpc.ClientUnaryCall;
  
  PromoteTreeMember(argument: _abstractions_v1_PromoteTreeMemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_PromoteTreeMemberResponse__Output>): grpc.ClientUnaryCall;
  PromoteTreeMember(argument: _abstractions_v1_PromoteTreeMemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_PromoteTreeMemberResponse__Output>): grpc.ClientUnaryCall;
  PromoteTreeMember(argument: _abstractions_v1_PromoteTreeMemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_PromoteTreeMemberResponse__Output>): grpc.ClientUnaryCall;
  PromoteTreeMember(argument: _abstractions_v1_PromoteTreeMemberRequest, callback: grpc.requestCallback<_abstractions_v1_PromoteTreeMemberResponse__Output>): grpc.ClientUnaryCall;
  promoteTreeMember(argument: _abstractions_v1_PromoteTreeMemberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_PromoteTreeMemberResponse__Output>): grpc.ClientUnaryCall;
  promoteTreeMember(argument: _abstractions_v1_PromoteTreeMemberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_PromoteTreeMemberResponse__Output>): grpc.ClientUnaryCall;
  promoteTreeMember(argument: _abstractions_v1_PromoteTreeMemberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_PromoteTreeMemberResponse__Output>): grpc.ClientUnaryCall;
  promoteTreeMember(argument: _abstractions_v1_PromoteTreeMemberRequest, callback: grpc.requestCallback<_abstractions_v1_PromoteTreeMemberResponse__Output>): grpc.ClientUnaryCall;
  
  TreeHistory(argument: _abstractions_v1_TreeHistoryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_TreeHistoryResponse__Output>): grpc.ClientUnaryCall;
  TreeHistory(argument: _abstractions_v1_TreeHistoryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_TreeHistoryResponse__Output>): grpc.ClientUnaryCall;
  TreeHistory(argument: _abstractions_v1_TreeHistoryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_TreeHistoryResponse__Output>): grpc.ClientUnaryCall;
  TreeHistory(argument: _abstractions_v1_TreeHistoryRequest, callback: grpc.requestCallback<_abstractions_v1_TreeHistoryResponse__Output>): grpc.ClientUnaryCall;
  treeHistory(argument: _abstractions_v1_TreeHistoryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_TreeHistoryResponse__Output>): grpc.ClientUnaryCall;
  treeHistory(argument: _abstractions_v1_TreeHistoryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_TreeHistoryResponse__Output>): grpc.ClientUnaryCall;
  treeHistory(argument: _abstractions_v1_TreeHistoryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_TreeHistoryResponse__Output>): grpc.ClientUnaryCall;
  treeHistory(argument: _abstractions_v1_TreeHistoryRequest, callback: grpc.requestCallback<_abstractions_v1_TreeHistoryResponse__Output>): grpc.ClientUnaryCall;
  
  Update(argument: _abstractions_v1_UpdateEntityRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  Update(argument: _abstractions_v1_UpdateEntityRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  Update(argument: _abstractions_v1_UpdateEntityRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  Update(argument: _abstractions_v1_UpdateEntityRequest, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  update(argument: _abstractions_v1_UpdateEntityRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  update(argument: _abstractions_v1_UpdateEntityRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  update(argument: _abstractions_v1_UpdateEntityRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  update(argument: _abstractions_v1_UpdateEntityRequest, callback: grpc.requestCallback<_abstractions_v1_Entity__Output>): grpc.ClientUnaryCall;
  
  WriteTree(argument: _abstractions_v1_WriteTreeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_WriteTreeResponse__Output>): grpc.ClientUnaryCall;
  WriteTree(argument: _abstractions_v1_WriteTreeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_WriteTreeResponse__Output>): grpc.ClientUnaryCall;
  WriteTree(argument: _abstractions_v1_WriteTreeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_WriteTreeResponse__Output>): grpc.ClientUnaryCall;
  WriteTree(argument: _abstractions_v1_WriteTreeRequest, callback: grpc.requestCallback<_abstractions_v1_WriteTreeResponse__Output>): grpc.ClientUnaryCall;
  writeTree(argument: _abstractions_v1_WriteTreeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_WriteTreeResponse__Output>): grpc.ClientUnaryCall;
  writeTree(argument: _abstractions_v1_WriteTreeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_WriteTreeResponse__Output>): grpc.ClientUnaryCall;
  writeTree(argument: _abstractions_v1_WriteTreeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_WriteTreeResponse__Output>): grpc.ClientUnaryCall;
  writeTree(argument: _abstractions_v1_WriteTreeRequest, callback: grpc.requestCallback<_abstractions_v1_WriteTreeResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface EntityServiceHandlers extends grpc.UntypedServiceImplementation {
  AttachTree: grpc.handleUnaryCall<_abstractions_v1_AttachTreeRequest__Output, _abstractions_v1_AttachTreeResponse>;
  
  Create: grpc.handleUnaryCall<_abstractions_v1_CreateEntityRequest__Output, _abstractions_v1_Entity>;
  
  Delete: grpc.handleUnaryCall<_abstractions_v1_DeleteEntityRequest__Output, _abstractions_v1_Entity>;
  
  Get: grpc.handleUnaryCall<_abstractions_v1_GetEntityRequest__Output, _abstractions_v1_Entity>;
  
  GetTree: grpc.handleUnaryCall<_abstractions_v1_GetTreeRequest__Output, _abstractions_v1_GetTreeResponse>;
  
  History: grpc.handleUnaryCall<_abstractions_v1_EntityHistoryRequest__Output, _abstractions_v1_EntityHistoryResponse>;
  
  List: grpc.handleUnaryCall<_abstractions_v1_ListEntitiesRequest__Output, _abstractions_v1_ListEntitiesResponse>;
  
  PromoteTreeMember: grpc.handleUnaryCall<_abstractions_v1_PromoteTreeMemberRequest__Output, _abstractions_v1_PromoteTreeMemberResponse>;
  
  TreeHistory: grpc.handleUnaryCall<_abstractions_v1_TreeHistoryRequest__Output, _abstractions_v1_TreeHistoryResponse>;
  
  Update: grpc.handleUnaryCall<_abstractions_v1_UpdateEntityRequest__Output, _abstractions_v1_Entity>;
  
  WriteTree: grpc.handleUnaryCall<_abstractions_v1_WriteTreeRequest__Output, _abstractions_v1_WriteTreeResponse>;
  
}

export interface EntityServiceDefinition extends grpc.ServiceDefinition {
  AttachTree: MethodDefinition<_abstractions_v1_AttachTreeRequest, _abstractions_v1_AttachTreeResponse, _abstractions_v1_AttachTreeRequest__Output, _abstractions_v1_AttachTreeResponse__Output>
  Create: MethodDefinition<_abstractions_v1_CreateEntityRequest, _abstractions_v1_Entity, _abstractions_v1_CreateEntityRequest__Output, _abstractions_v1_Entity__Output>
  Delete: MethodDefinition<_abstractions_v1_DeleteEntityRequest, _abstractions_v1_Entity, _abstractions_v1_DeleteEntityRequest__Output, _abstractions_v1_Entity__Output>
  Get: MethodDefinition<_abstractions_v1_GetEntityRequest, _abstractions_v1_Entity, _abstractions_v1_GetEntityRequest__Output, _abstractions_v1_Entity__Output>
  GetTree: MethodDefinition<_abstractions_v1_GetTreeRequest, _abstractions_v1_GetTreeResponse, _abstractions_v1_GetTreeRequest__Output, _abstractions_v1_GetTreeResponse__Output>
  History: MethodDefinition<_abstractions_v1_EntityHistoryRequest, _abstractions_v1_EntityHistoryResponse, _abstractions_v1_EntityHistoryRequest__Output, _abstractions_v1_EntityHistoryResponse__Output>
  List: MethodDefinition<_abstractions_v1_ListEntitiesRequest, _abstractions_v1_ListEntitiesResponse, _abstractions_v1_ListEntitiesRequest__Output, _abstractions_v1_ListEntitiesResponse__Output>
  PromoteTreeMember: MethodDefinition<_abstractions_v1_PromoteTreeMemberRequest, _abstractions_v1_PromoteTreeMemberResponse, _abstractions_v1_PromoteTreeMemberRequest__Output, _abstractions_v1_PromoteTreeMemberResponse__Output>
  TreeHistory: MethodDefinition<_abstractions_v1_TreeHistoryRequest, _abstractions_v1_TreeHistoryResponse, _abstractions_v1_TreeHistoryRequest__Output, _abstractions_v1_TreeHistoryResponse__Output>
  Update: MethodDefinition<_abstractions_v1_UpdateEntityRequest, _abstractions_v1_Entity, _abstractions_v1_UpdateEntityRequest__Output, _abstractions_v1_Entity__Output>
  WriteTree: MethodDefinition<_abstractions_v1_WriteTreeRequest, _abstractions_v1_WriteTreeResponse, _abstractions_v1_WriteTreeRequest__Output, _abstractions_v1_WriteTreeResponse__Output>
}
