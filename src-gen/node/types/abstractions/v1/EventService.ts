// Original file: abstractions/v1/event.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Event as _abstractions_v1_Event, Event__Output as _abstractions_v1_Event__Output } from '../../abstractions/v1/Event';
import type { SubscribeRequest as _abstractions_v1_SubscribeRequest, SubscribeRequest__Output as _abstractions_v1_SubscribeRequest__Output } from '../../abstractions/v1/SubscribeRequest';

export interface EventServiceClient extends grpc.Client {
  Subscribe(argument: _abstractions_v1_SubscribeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_abstractions_v1_Event__Output>;
  Subscribe(argument: _abstractions_v1_SubscribeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_abstractions_v1_Event__Output>;
  subscribe(argument: _abstractions_v1_SubscribeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_abstractions_v1_Event__Output>;
  subscribe(argument: _abstractions_v1_SubscribeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_abstractions_v1_Event__Output>;
  
}

export interface EventServiceHandlers extends grpc.UntypedServiceImplementation {
  Subscribe: grpc.handleServerStreamingCall<_abstractions_v1_SubscribeRequest__Output, _abstractions_v1_Event>;
  
}

export interface EventServiceDefinition extends grpc.ServiceDefinition {
  Subscribe: MethodDefinition<_abstractions_v1_SubscribeRequest, _abstractions_v1_Event, _abstractions_v1_SubscribeRequest__Output, _abstractions_v1_Event__Output>
}
