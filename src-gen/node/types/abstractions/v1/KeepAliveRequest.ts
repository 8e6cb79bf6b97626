// Original file: abstractions/v1/operation.proto


export interface KeepAliveRequest {
  'op_id'?: (string);
}

export interface KeepAliveRequest__Output {
  'op_id': (string);
}
