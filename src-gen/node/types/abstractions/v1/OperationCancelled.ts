// Original file: abstractions/v1/event.proto


export interface OperationCancelled {
}

export interface OperationCancelled__Output {
}
