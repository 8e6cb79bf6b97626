// Original file: abstractions/v1/entity.proto

import type { MemberVersion as _abstractions_v1_MemberVersion, MemberVersion__Output as _abstractions_v1_MemberVersion__Output } from '../../abstractions/v1/MemberVersion';
import type { Long } from '@grpc/proto-loader';

export interface TreeVersion {
  'tree_version'?: (number | string | Long);
  'last_modified_ns'?: (number | string | Long);
  'changed'?: (_abstractions_v1_MemberVersion)[];
}

export interface TreeVersion__Output {
  'tree_version': (string);
  'last_modified_ns': (string);
  'changed': (_abstractions_v1_MemberVersion__Output)[];
}
