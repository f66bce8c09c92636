export * from './entities';
export * from './errors';
export * from './ids';
export type * from './ports';
