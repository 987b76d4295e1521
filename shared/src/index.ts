export * from './audit';
export * from './errors';
export * from './forum';
export * from './ideas';
export * from './ids';
export * from './live';
export * from './pagination';
export * from './users';
