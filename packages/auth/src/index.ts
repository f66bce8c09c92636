export * from './client-credentials';
export * from './errors';
export * from './machine';
export * from './principal';
export * from './run-token';
export * from './verify';
