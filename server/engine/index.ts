/**
 * @module Public entry of the 2JZ-GTE mean-value engine model: the batch
 * simulator, the step model, scenarios, simulated channels and faults.
 */
export { simulateDrive, resolveScenario, STEP_LABELS } from './simulate.ts';
export type { DriveOptions, DriveResult, StepLabel } from './simulate.ts';
export { EngineModel, SimulationConfigError, validateFaultSpec } from './model.ts';
export { operatingPoint, superimposeFaults } from './superimpose.ts';
export type { ChannelLog, SuperimposedLog } from './superimpose.ts';
export type { EngineModelOptions, FaultSpec } from './model.ts';
export { SCENARIOS, SCENARIO_IDS, scenarioLengthS } from './scenarios.ts';
export type { DriveSegment, Scenario } from './scenarios.ts';
export { SIM_CHANNELS, SIM_CHANNEL_RATES_HZ } from './sensors.ts';
export {
  FAULTS,
  FAULT_KINDS,
  createFaultState,
  faultDefinition,
  isFaultKind,
  rampedSeverity,
} from './faults/index.ts';
export type {
  ChannelValues,
  FaultDefinition,
  FaultKind,
  FaultState,
  OperatingPoint,
  SuperimposeStep,
} from './faults/index.ts';
