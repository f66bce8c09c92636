export { MIGRATIONS_FOLDER, migrate } from './migrate';
export * as schema from './schema';
export * from './schema';
