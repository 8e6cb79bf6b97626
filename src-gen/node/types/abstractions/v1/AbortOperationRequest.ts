// Original file: abstractions/v1/operation.proto


export interface AbortOperationRequest {
  'op_id'?: (string);
  'request_id'?: (string);
}

export interface AbortOperationRequest__Output {
  'op_id': (string);
  'request_id': (string);
}
