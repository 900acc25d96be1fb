export { type Config, ConfigError, type EaseeStreamConfig, loadConfig, type Role } from './config.ts';
