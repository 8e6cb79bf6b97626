// Original file: abstractions/v1/operation.proto


export interface GetOperationRequest {
  'op_id'?: (string);
}

export interface GetOperationRequest__Output {
  'op_id': (string);
}
