// Original file: abstractions/v1/entity.proto

import type { Long } from '@grpc/proto-loader';

export interface GetTreeRequest {
  'root_lineage_id'?: (string);
  'tree_version'?: (number | string | Long);
  'page_size'?: (number);
  'page_token'?: (string);
  'serializable'?: (boolean);
}

export interface GetTreeRequest__Output {
  'root_lineage_id': (string);
  'tree_version': (string);
  'page_size': (number);
  'page_token': (string);
  'serializable': (boolean);
}
