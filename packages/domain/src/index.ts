export * from './dependencies';
export * from './entities';
export * from './errors';
export * from './ids';
export * from './pipeline';
export * from './pipeline-events';
export * from './pipeline-questions';
export type * from './ports';
export * from './scheduler';
