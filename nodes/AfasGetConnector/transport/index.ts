export * from './metainfo';
export * from './paging';
export * from './request';
