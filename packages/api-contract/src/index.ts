export * from './errors';
export * from './features';
export * from './openapi';
export * from './primitives';
export * from './projects';
export * from './routes';
