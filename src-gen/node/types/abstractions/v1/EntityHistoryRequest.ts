// Original file: abstractions/v1/entity.proto


export interface EntityHistoryRequest {
  'lineage_id'?: (string);
  'page_size'?: (number);
  'page_token'?: (string);
}

export interface EntityHistoryRequest__Output {
  'lineage_id': (string);
  'page_size': (number);
  'page_token': (string);
}
