// Errors a user can act on: a code, what went wrong, and a hint. Bugs in synod stay plain Errors.

export const codes = {
  unknownParam: 'SYN101',
  badParam: 'SYN102',
  unknownVariant: 'SYN103',
  badOption: 'SYN104',
  badCheckpoint: 'SYN105',
  checkpointMismatch: 'SYN106',
  cannotWrite: 'SYN107',
  specNotFound: 'SYN201',
  specCompile: 'SYN202',
  noSpecExport: 'SYN203',
  badSpec: 'SYN204',
  reservedField: 'SYN205',
  initFailed: 'SYN301',
  guardThrew: 'SYN302',
  effectThrew: 'SYN303',
  outsideType: 'SYN304',
  nondeterminism: 'SYN305',
  propertyThrew: 'SYN306',
  constraintThrew: 'SYN307',
  asymmetric: 'SYN308',
  clusterUnreachable: 'SYN401',
  clusterRefused: 'SYN402',
  clusterLost: 'SYN403',
} as const;

export type ErrorCode = (typeof codes)[keyof typeof codes];

export class SpecError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'SpecError';
  }
}
