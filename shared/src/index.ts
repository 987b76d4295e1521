export * from './errors';
export * from './forum';
export * from './live';
export * from './pagination';
export * from './users';
