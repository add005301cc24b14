/** The network engine: TF.js MQ-RNN graph, training loop, persistence. See contract.ts. */
export type * from './contract.js';
export { trainNetwork, type TrainOutcome } from './train.js';
export { loadNetwork } from './network.js';
export { NETWORK_FORMAT } from './layers-model.js';
