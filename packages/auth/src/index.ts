export * from './errors';
export * from './principal';
export * from './run-token';
export * from './verify';
