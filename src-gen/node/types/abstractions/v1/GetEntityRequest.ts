// Original file: abstractions/v1/entity.proto

import type { Long } from '@grpc/proto-loader';

export interface GetEntityRequest {
  'lineage_id'?: (string);
  'version'?: (number | string | Long);
  'serializable'?: (boolean);
}

export interface GetEntityRequest__Output {
  'lineage_id': (string);
  'version': (string);
  'serializable': (boolean);
}
