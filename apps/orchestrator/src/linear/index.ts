export { LINEAR_WORK, type LinearDeps } from './context';
export { LinearWorker } from './worker';
