export * from './backoff';
export * from './headers';
export * from './network';
export * from './retry';
export * from './paging';
