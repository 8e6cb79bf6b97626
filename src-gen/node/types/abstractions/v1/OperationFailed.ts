// Original file: abstractions/v1/event.proto


export interface OperationFailed {
  'message'?: (string);
}

export interface OperationFailed__Output {
  'message': (string);
}
