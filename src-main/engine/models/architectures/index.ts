export { buildCnn, cnnConfig, CNN_DEFAULTS, CnnConfigSchema, CnnOptionsSchema, type CnnConfig, type CnnConfigInput } from './cnn';
