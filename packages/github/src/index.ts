export * from './errors';
export * from './pull-requests';
export * from './remote';
