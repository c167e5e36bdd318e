// The frontend's only door to the Go backend.
export * as session from './session';
export * as patients from './patients';
export * as admin from './admin';
export * as chart from './chart';
export * as codes from './codes';
export * as sync from './sync';
export * as backups from './backup';
export { onClosing, onLocked } from './events';
export { waitForBridge } from './bridge';
export { decodeError, genericMessage, type AppError, type ErrorCode } from './errors';
export * from './types';
export * from './syncTypes';
export * from './backupTypes';
export * as interop from './interop';
export * from './interopTypes';
export * as review from './review';
export type { Origin, ReviewItem, ReviewResult } from './review';
export * as schedule from './schedule';
