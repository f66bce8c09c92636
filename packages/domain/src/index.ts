export * from './entities';
export type * from './ports';
