export * from './afas.api';
export * from './paging';
