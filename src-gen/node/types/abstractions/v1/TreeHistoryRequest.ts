// Original file: abstractions/v1/entity.proto


export interface TreeHistoryRequest {
  'root_lineage_id'?: (string);
  'page_size'?: (number);
  'page_token'?: (string);
  'serializable'?: (boolean);
}

export interface TreeHistoryRequest__Output {
  'root_lineage_id': (string);
  'page_size': (number);
  'page_token': (string);
  'serializable': (boolean);
}
