export * from './metainfo';
export * from './paging';
export * from './read';
export * from './request';
export type { SortField } from './sort';
