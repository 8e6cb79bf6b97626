// Original file: abstractions/v1/event.proto

import type { EventKind as _abstractions_v1_EventKind, EventKind__Output as _abstractions_v1_EventKind__Output } from '../../abstractions/v1/EventKind';

export interface EventFilter {
  'kinds'?: (_abstractions_v1_EventKind)[];
  'lineage_ids'?: (string)[];
  'entity_types'?: (string)[];
  'op_ids'?: (string)[];
  'min_priority'?: (number);
  'root_lineage_ids'?: (string)[];
}

export interface EventFilter__Output {
  'kinds': (_abstractions_v1_EventKind__Output)[];
  'lineage_ids': (string)[];
  'entity_types': (string)[];
  'op_ids': (string)[];
  'min_priority': (number);
  'root_lineage_ids': (string)[];
}
