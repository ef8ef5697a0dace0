// Generative causal explanation (seed 000): the explainer VAE, Algorithm 2, training, sweeps,
// the capacity certificate, save/load.
export * from './architecture';
export * from './certificate';
export * from './estimator';
export * from './io';
export * from './linear-gaussian';
export * from './sweeps';
export * from './train';
