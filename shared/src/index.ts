export * from './errors';
export * from './live';
export * from './pagination';
export * from './users';
