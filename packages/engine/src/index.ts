export * from './apply';
export * from './commands';
export * from './errors';
export * from './outcomes';
export * from './run-input';
export * from './schedule';
export * from './work';
