// Original file: abstractions/v1/operation.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AbortOperationRequest as _abstractions_v1_AbortOperationRequest, AbortOperationRequest__Output as _abstractions_v1_AbortOperationRequest__Output } from '../../abstractions/v1/AbortOperationRequest';
import type { BeginOperationRequest as _abstractions_v1_BeginOperationRequest, BeginOperationRequest__Output as _abstractions_v1_BeginOperationRequest__Output } from '../../abstractions/v1/BeginOperationRequest';
import type { BeginOperationResponse as _abstractions_v1_BeginOperationResponse, BeginOperationResponse__Output as _abstractions_v1_BeginOperationResponse__Output } from '../../abstractions/v1/BeginOperationResponse';
import type { CommitOperationRequest as _abstractions_v1_CommitOperationRequest, CommitOperationRequest__Output as _abstractions_v1_CommitOperationRequest__Output } from '../../abstractions/v1/CommitOperationRequest';
import type { CommitOperationResponse as _abstractions_v1_CommitOperationResponse, CommitOperationResponse__Output as _abstractions_v1_CommitOperationResponse__Output } from '../../abstractions/v1/CommitOperationResponse';
import type { ExecuteRequest as _abstractions_v1_ExecuteRequest, ExecuteRequest__Output as _abstractions_v1_ExecuteRequest__Output } from '../../abstractions/v1/ExecuteRequest';
import type { ExecuteResponse as _abstractions_v1_ExecuteResponse, ExecuteResponse__Output as _abstractions_v1_ExecuteResponse__Output } from '../../abstractions/v1/ExecuteResponse';
import type { GetOperationRequest as _abstractions_v1_GetOperationRequest, GetOperationRequest__Output as _abstractions_v1_GetOperationRequest__Output } from '../../abstractions/v1/GetOperationRequest';
import type { KeepAliveRequest as _abstractions_v1_KeepAliveRequest, KeepAliveRequest__Output as _abstractions_v1_KeepAliveRequest__Output } from '../../abstractions/v1/KeepAliveRequest';
import type { ListOperationsRequest as _abstractions_v1_ListOperationsRequest, ListOperationsRequest__Output as _abstractions_v1_ListOperationsRequest__Output } from '../../abstractions/v1/ListOperationsRequest';
import type { ListOperationsResponse as _abstractions_v1_ListOperationsResponse, ListOperationsResponse__Output as _abstractions_v1_ListOperationsResponse__Output } from '../../abstractions/v1/ListOperationsResponse';
import type { OperationEntity as _abstractions_v1_OperationEntity, OperationEntity__Output as _abstractions_v1_OperationEntity__Output } from '../../abstractions/v1/OperationEntity';

export interface OperationServiceClient extends grpc.Client {
  Abort(argument: _abstractions_v1_AbortOperationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  Abort(argument: _abstractions_v1_AbortOperationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  Abort(argument: _abstractions_v1_AbortOperationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  Abort(argument: _abstractions_v1_AbortOperationRequest, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  abort(argument: _abstractions_v1_AbortOperationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  abort(argument: _abstractions_v1_AbortOperationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  abort(argument: _abstractions_v1_AbortOperationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  abort(argument: _abstractions_v1_AbortOperationRequest, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  
  Begin(argument: _abstractions_v1_BeginOperationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_BeginOperationResponse__Output>): grpc.ClientUnaryCall;
  Begin(argument: _abstractions_v1_BeginOperationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_BeginOperationResponse__Output>): grpc.ClientUnaryCall;
  Begin(argument: _abstractions_v1_BeginOperationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_BeginOperationResponse__Output>): grpc.ClientUnaryCall;
  Begin(argument: _abstractions_v1_BeginOperationRequest, callback: grpc.requestCallback<_abstractions_v1_BeginOperationResponse__Output>): grpc.ClientUnaryCall;
  begin(argument: _abstractions_v1_BeginOperationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_BeginOperationResponse__Output>): grpc.ClientUnaryCall;
  begin(argument: _abstractions_v1_BeginOperationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_BeginOperationResponse__Output>): grpc.ClientUnaryCall;
  begin(argument: _abstractions_v1_BeginOperationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_BeginOperationResponse__Output>): grpc.ClientUnaryCall;
  begin(argument: _abstractions_v1_BeginOperationRequest, callback: grpc.requestCallback<_abstractions_v1_BeginOperationResponse__Output>): grpc.ClientUnaryCall;
  
  Commit(argument: _abstractions_v1_CommitOperationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_CommitOperationResponse__Output>): grpc.ClientUnaryCall;
  Commit(argument: _abstractions_v1_CommitOperationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_CommitOperationResponse__Output>): grpc.ClientUnaryCall;
  Commit(argument: _abstractions_v1_CommitOperationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_CommitOperationResponse__Output>): grpc.ClientUnaryCall;
  Commit(argument: _abstractions_v1_CommitOperationRequest, callback: grpc.requestCallback<_abstractions_v1_CommitOperationResponse__Output>): grpc.ClientUnaryCall;
  commit(argument: _abstractions_v1_CommitOperationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_CommitOperationResponse__Output>): grpc.ClientUnaryCall;
  commit(argument: _abstractions_v1_CommitOperationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_CommitOperationResponse__Output>): grpc.ClientUnaryCall;
  commit(argument: _abstractions_v1_CommitOperationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_CommitOperationResponse__Output>): grpc.ClientUnaryCall;
  commit(argument: _abstractions_v1_CommitOperationRequest, callback: grpc.requestCallback<_abstractions_v1_CommitOperationResponse__Output>): grpc.ClientUnaryCall;
  
  Execute(argument: _abstractions_v1_ExecuteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_ExecuteResponse__Output>): grpc.ClientUnaryCall;
  Execute(argument: _abstractions_v1_ExecuteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_ExecuteResponse__Output>): grpc.ClientUnaryCall;
  Execute(argument: _abstractions_v1_ExecuteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_ExecuteResponse__Output>): grpc.ClientUnaryCall;
  Execute(argument: _abstractions_v1_ExecuteRequest, callback: grpc.requestCallback<_abstractions_v1_ExecuteResponse__Output>): grpc.ClientUnaryCall;
  execute(argument: _abstractions_v1_ExecuteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_ExecuteResponse__Output>): grpc.ClientUnaryCall;
  execute(argument: _abstractions_v1_ExecuteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_ExecuteResponse__Output>): grpc.ClientUnaryCall;
  execute(argument: _abstractions_v1_ExecuteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_ExecuteResponse__Output>): grpc.ClientUnaryCall;
  execute(argument: _abstractions_v1_ExecuteRequest, callback: grpc.requestCallback<_abstractions_v1_ExecuteResponse__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _abstractions_v1_GetOperationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  Get(argument: _abstractions_v1_GetOperationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  Get(argument: _abstractions_v1_GetOperationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  Get(argument: _abstractions_v1_GetOperationRequest, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  get(argument: _abstractions_v1_GetOperationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  get(argument: _abstractions_v1_GetOperationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  get(argument: _abstractions_v1_GetOperationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  get(argument: _abstractions_v1_GetOperationRequest, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  
  KeepAlive(argument: _abstractions_v1_KeepAliveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  KeepAlive(argument: _abstractions_v1_KeepAliveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  KeepAlive(argument: _abstractions_v1_KeepAliveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  KeepAlive(argument: _abstractions_v1_KeepAliveRequest, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  keepAlive(argument: _abstractions_v1_KeepAliveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  keepAlive(argument: _abstractions_v1_KeepAliveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  keepAlive(argument: _abstractions_v1_KeepAliveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  keepAlive(argument: _abstractions_v1_KeepAliveRequest, callback: grpc.requestCallback<_abstractions_v1_OperationEntity__Output>): grpc.ClientUnaryCall;
  
  List(argument: _abstractions_v1_ListOperationsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _abstractions_v1_ListOperationsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _abstractions_v1_ListOperationsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _abstractions_v1_ListOperationsRequest, callback: grpc.requestCallback<_abstractions_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _abstractions_v1_ListOperationsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _abstractions_v1_ListOperationsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_abstractions_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _abstractions_v1_ListOperationsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_abstractions_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _abstractions_v1_ListOperationsRequest, callback: grpc.requestCallback<_abstractions_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface OperationServiceHandlers extends grpc.UntypedServiceImplementation {
  Abort: grpc.handleUnaryCall<_abstractions_v1_AbortOperationRequest__Output, _abstractions_v1_OperationEntity>;
  
  Begin: grpc.handleUnaryCall<_abstractions_v1_BeginOperationRequest__Output, _abstractions_v1_BeginOperationResponse>;
  
  Commit: grpc.handleUnaryCall<_abstractions_v1_CommitOperationRequest__Output, _abstractions_v1_CommitOperationResponse>;
  
  Execute: grpc.handleUnaryCall<_abstractions_v1_ExecuteRequest__Output, _abstractions_v1_ExecuteResponse>;
  
  Get: grpc.handleUnaryCall<_abstractions_v1_GetOperationRequest__Output, _abstractions_v1_OperationEntity>;
  
  KeepAlive: grpc.handleUnaryCall<_abstractions_v1_KeepAliveRequest__Output, _abstractions_v1_OperationEntity>;
  
  List: grpc.handleUnaryCall<_abstractions_v1_ListOperationsRequest__Output, _abstractions_v1_ListOperationsResponse>;
  
}

export interface OperationServiceDefinition extends grpc.ServiceDefinition {
  Abort: MethodDefinition<_abstractions_v1_AbortOperationRequest, _abstractions_v1_OperationEntity, _abstractions_v1_AbortOperationRequest__Output, _abstractions_v1_OperationEntity__Output>
  Begin: MethodDefinition<_abstractions_v1_BeginOperationRequest, _abstractions_v1_BeginOperationResponse, _abstractions_v1_BeginOperationRequest__Output, _abstractions_v1_BeginOperationResponse__Output>
  Commit: MethodDefinition<_abstractions_v1_CommitOperationRequest, _abstractions_v1_CommitOperationResponse, _abstractions_v1_CommitOperationRequest__Output, _abstractions_v1_CommitOperationResponse__Output>
  Execute: MethodDefinition<_abstractions_v1_ExecuteRequest, _abstractions_v1_ExecuteResponse, _abstractions_v1_ExecuteRequest__Output, _abstractions_v1_ExecuteResponse__Output>
  Get: MethodDefinition<_abstractions_v1_GetOperationRequest, _abstractions_v1_OperationEntity, _abstractions_v1_GetOperationRequest__Output, _abstractions_v1_OperationEntity__Output>
  KeepAlive: MethodDefinition<_abstractions_v1_KeepAliveRequest, _abstractions_v1_OperationEntity, _abstractions_v1_KeepAliveRequest__Output, _abstractions_v1_OperationEntity__Output>
  List: MethodDefinition<_abstractions_v1_ListOperationsRequest, _abstractions_v1_ListOperationsResponse, _abstractions_v1_ListOperationsRequest__Output, _abstractions_v1_ListOperationsResponse__Output>
}
