/**
 * @module Drive scenarios as data: each is a list of segments that the
 * simulated driver follows (target speed, fixed throttle for pulls, shift
 * points, cornering). The model has no code path per scenario.
 */

/** One part of a drive. */
export interface DriveSegment {
  readonly label: string;
  readonly durationS: number;
  /** Road speed the driver aims for, km/h; 0 stops the car in neutral. */
  readonly speedKmh: number;
  /** Fixed throttle in %, in place of the speed controller (a pull). */
  readonly throttlePct?: number;
  /** Upshift point in rpm; 2,800 when absent. */
  readonly shiftRpm?: number;
  /** Highest gear the driver uses in this segment; 6 when absent. */
  readonly maxGear?: number;
  /** Gear to start a pull in, if the car is in a higher gear. */
  readonly startGear?: number;
  /** Lateral acceleration in g while cornering. */
  readonly lateralG?: number;
}

/** A named drive: segments, weather, and whether it repeats. */
export interface Scenario {
  readonly id: string;
  readonly description: string;
  readonly ambientC: number;
  readonly baroKpa: number;
  readonly segments: readonly DriveSegment[];
  /** Index of the segment that an endless drive repeats from (skips the warm-up). */
  readonly loopFrom: number;
  /** Engine temperature (coolant, oil, block) at the start, °C. */
  readonly startEngineC: number;
}

const stop = (durationS: number): DriveSegment => ({ label: 'idle', durationS, speedKmh: 0 });

const cruise = (durationS: number, speedKmh: number): DriveSegment => ({
  label: 'cruise',
  durationS,
  speedKmh,
});

/** A wide-open-throttle pull in `gear` from about 2,000 rpm to near the redline. */
const pull = (gear: number, durationS = 10): DriveSegment => ({
  label: 'pull',
  durationS,
  speedKmh: 250,
  throttlePct: 100,
  shiftRpm: 6500,
  maxGear: gear,
  startGear: gear,
});

const corner = (durationS: number, speedKmh: number, lateralG: number): DriveSegment => ({
  label: 'corner',
  durationS,
  speedKmh,
  lateralG,
  maxGear: 4,
  shiftRpm: 6000,
});

const SCENARIO_LIST: readonly Scenario[] = [
  {
    id: 'idle',
    startEngineC: 25,
    loopFrom: 0,
    description: 'Cold start and a long idle in still air: warm-up and fan cycling.',
    ambientC: 25,
    baroKpa: 101.3,
    segments: [stop(1800)],
  },
  {
    id: 'cruise',
    startEngineC: 20,
    loopFrom: 2,
    description: 'Short warm-up, then a steady 100 km/h highway cruise.',
    ambientC: 20,
    baroKpa: 101.3,
    segments: [stop(60), cruise(60, 50), cruise(1200, 100)],
  },
  {
    id: 'pulls',
    startEngineC: 85,
    loopFrom: 1,
    description: 'Warm engine, third-gear pulls through the turbo handover, cooling in between.',
    ambientC: 20,
    baroKpa: 101.3,
    segments: [
      cruise(240, 60),
      cruise(15, 45),
      pull(3),
      cruise(40, 60),
      cruise(15, 45),
      pull(3),
      cruise(40, 60),
    ],
  },
  {
    id: 'heat-soak',
    startEngineC: 88,
    loopFrom: 0,
    description: 'Two hard pulls, then a long idle: coolant and intake air heat soak.',
    ambientC: 30,
    baroKpa: 101.3,
    segments: [cruise(240, 70), cruise(15, 45), pull(3), cruise(15, 45), pull(3), stop(600)],
  },
  {
    id: 'street',
    startEngineC: 60,
    loopFrom: 0,
    description: 'Mixed street drive: town, lights, highway and an occasional pull.',
    ambientC: 22,
    baroKpa: 101.3,
    segments: [
      stop(45),
      cruise(90, 50),
      stop(30),
      cruise(120, 60),
      cruise(10, 45),
      pull(3, 9),
      cruise(60, 70),
      stop(40),
      cruise(300, 100),
      cruise(60, 80),
      cruise(10, 45),
      pull(3, 9),
      cruise(90, 50),
      stop(60),
    ],
  },
  {
    id: 'track',
    startEngineC: 85,
    loopFrom: 1,
    description: 'Track laps: pulls in third and fourth, hard braking and long corners.',
    ambientC: 25,
    baroKpa: 101.3,
    segments: [
      cruise(180, 60),
      cruise(8, 60),
      pull(3, 7),
      { label: 'brake', durationS: 6, speedKmh: 80, maxGear: 3 },
      corner(12, 80, 1.0),
      pull(4, 9),
      { label: 'brake', durationS: 6, speedKmh: 90, maxGear: 4 },
      corner(15, 90, 1.1),
      pull(3, 7),
      { label: 'brake', durationS: 6, speedKmh: 70, maxGear: 3 },
      corner(10, 70, 0.9),
    ],
  },
];

/** Every built-in scenario by id. */
export const SCENARIOS: Readonly<Record<string, Scenario>> = Object.fromEntries(
  SCENARIO_LIST.map((s) => [s.id, s]),
);

/** Ids of the built-in scenarios. */
export const SCENARIO_IDS: readonly string[] = SCENARIO_LIST.map((s) => s.id);

/** Returns the total length of one pass through a scenario, in seconds. */
export function scenarioLengthS(scenario: Scenario): number {
  return scenario.segments.reduce((sum, s) => sum + s.durationS, 0);
}
