// Original file: abstractions/v1/event.proto

import type { EventFilter as _abstractions_v1_EventFilter, EventFilter__Output as _abstractions_v1_EventFilter__Output } from '../../abstractions/v1/EventFilter';
import type { Long } from '@grpc/proto-loader';

export interface SubscribeRequest {
  'filter'?: (_abstractions_v1_EventFilter | null);
  'from_sequence'?: (number | string | Long);
  'from_now'?: (boolean);
  'from_oldest'?: (boolean);
  'resume_token'?: (string);
  'include_entities'?: (boolean);
  'start'?: "from_sequence"|"from_now"|"from_oldest"|"resume_token";
}

export interface SubscribeRequest__Output {
  'filter': (_abstractions_v1_EventFilter__Output | null);
  'from_sequence'?: (string);
  'from_now'?: (boolean);
  'from_oldest'?: (boolean);
  'resume_token'?: (string);
  'include_entities': (boolean);
  'start'?: "from_sequence"|"from_now"|"from_oldest"|"resume_token";
}
