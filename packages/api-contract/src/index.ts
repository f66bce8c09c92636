export * from './errors';
export * from './features';
export * from './openapi';
export * from './pipeline';
export * from './pipeline-routes';
export * from './primitives';
export * from './projects';
export * from './routes';
