export * from './errors';
export * from './principal';
export * from './verify';
export * from './run-token';
