// Original file: abstractions/v1/entity.proto


export interface ListEntitiesRequest {
  'entity_type'?: (string);
  'page_size'?: (number);
  'page_token'?: (string);
  'serializable'?: (boolean);
}

export interface ListEntitiesRequest__Output {
  'entity_type': (string);
  'page_size': (number);
  'page_token': (string);
  'serializable': (boolean);
}
