// Public surface of the faults context: failures injected into the surfaces, for testing apps' retry and fallback paths.
export { faultEntity } from './entities.js';
export { FaultBoard } from './board.js';
export { FaultService } from './service.js';
export { parseFaultSpec, type FaultSpec } from './spec.js';
export { describeEffect, FAULT_SURFACES, type Fault, type FaultEffect, type FaultStatus, type FaultSurface } from './model.js';
