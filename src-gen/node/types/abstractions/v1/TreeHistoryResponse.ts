// Original file: abstractions/v1/entity.proto

import type { TreeVersion as _abstractions_v1_TreeVersion, TreeVersion__Output as _abstractions_v1_TreeVersion__Output } from '../../abstractions/v1/TreeVersion';
import type { Long } from '@grpc/proto-loader';

export interface TreeHistoryResponse {
  'versions'?: (_abstractions_v1_TreeVersion)[];
  'next_page_token'?: (string);
  'oldest_retained_tree_version'?: (number | string | Long);
}

export interface TreeHistoryResponse__Output {
  'versions': (_abstractions_v1_TreeVersion__Output)[];
  'next_page_token': (string);
  'oldest_retained_tree_version': (string);
}
