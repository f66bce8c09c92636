export { type PlatformConfig, platformConfigSchema } from './config';
export { PlatformStack } from './platform-stack';
