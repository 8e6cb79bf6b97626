// Original file: google/rpc/error_details.proto

import type { Long } from '@grpc/proto-loader';

export interface _google_rpc_QuotaFailure_Violation {
  'subject'?: (string);
  'description'?: (string);
  'api_service'?: (string);
  'quota_metric'?: (string);
  'quota_id'?: (string);
  'quota_dimensions'?: ({[key: string]: string});
  'quota_value'?: (number | string | Long);
  'future_quota_value'?: (number | string | Long);
  '_future_quota_value'?: "future_quota_value";
}

export interface _google_rpc_QuotaFailure_Violation__Output {
  'subject': (string);
  'description': (string);
  'api_service': (string);
  'quota_metric': (string);
  'quota_id': (string);
  'quota_dimensions': ({[key: string]: string});
  'quota_value': (string);
  'future_quota_value'?: (string);
  '_future_quota_value'?: "future_quota_value";
}

export interface QuotaFailure {
  'violations'?: (_google_rpc_QuotaFailure_Violation)[];
}

export interface QuotaFailure__Output {
  'violations': (_google_rpc_QuotaFailure_Violation__Output)[];
}
