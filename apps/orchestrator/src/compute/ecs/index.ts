export { EcsFargateDriver, type EcsFargateDriverOptions } from './ecs-driver';
export { type MappedExit, mapStoppedTask, type StoppedTaskView } from './exit-mapping';
export { isThrottlingError, type LauncherOptions, RunTaskLauncher } from './run-task-launcher';
export { TaskWatcher } from './task-watcher';
