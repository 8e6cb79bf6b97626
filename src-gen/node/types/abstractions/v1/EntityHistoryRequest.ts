// Original file: abstractions/v1/entity.proto


export interface EntityHistoryRequest {
  'lineage_id'?: (string);
  'page_size'?: (number);
  'page_token'?: (string);
  'serializable'?: (boolean);
}

export interface EntityHistoryRequest__Output {
  'lineage_id': (string);
  'page_size': (number);
  'page_token': (string);
  'serializable': (boolean);
}
