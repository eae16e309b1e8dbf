/**
 * @module Messages of the WebSocket stream and bodies of the REST API: the
 * one module that both the server and the browser dashboard import.
 * It contains types and constants only, so the UI bundle pulls in no server code.
 */

/** Nominal tick rate of the pipeline and the stream, in hertz. */
export const TICK_HZ = 23.5999;

export type LimitState = 'ok' | 'warning' | 'danger';

/** One channel's resampled value at a tick. */
export interface ChannelReading {
  /** Value in the channel's canonical unit; null when stale. */
  readonly value: number | null;
  /** True when no sample arrived within the channel's staleness limit. */
  readonly stale: boolean;
  readonly state: LimitState;
}

/** Ids of the derived metrics computed every tick. */
export type DerivedId =
  | 'afrDelta'
  | 'coolantRiseRate'
  | 'boostGradient'
  | 'turboDeviation'
  | 'oilTempSwing';

export const DERIVED_IDS: readonly DerivedId[] = [
  'afrDelta',
  'coolantRiseRate',
  'boostGradient',
  'turboDeviation',
  'oilTempSwing',
];

/** Units of the derived metrics, for labels and axes. */
export const DERIVED_UNITS: Readonly<Record<DerivedId, string>> = {
  afrDelta: 'lambda',
  coolantRiseRate: '°C/s',
  boostGradient: 'kPa/s',
  turboDeviation: 'fraction',
  oilTempSwing: '°C',
};

/** Life-cycle state of a source. */
export type SourceState =
  | 'starting'
  | 'live'
  | 'reconnecting'
  | 'stalled'
  | 'ended'
  | 'failed'
  | 'stopped';

/** Status of one source, as shown in `/health` and the stream. */
export interface SourceStatus {
  /** Source id as given on the command line, such as `sim` or `obd:/dev/pts/3`. */
  readonly id: string;
  readonly kind: 'hardware' | 'replay' | 'simulation' | 'manual';
  readonly state: SourceState;
  /** Human-readable detail of the state, such as the last error. */
  readonly detail?: string;
  readonly samplesReceived: number;
  /** Source-specific figures: per-PID rates, bus load, protocol. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Source status section of each tick. */
export interface SourcesSection {
  /** Id of the source whose samples currently feed the pipeline. */
  readonly active: string | null;
  readonly sources: readonly SourceStatus[];
}

export type Subsystem =
  | 'airBoost'
  | 'fuel'
  | 'cooling'
  | 'lubrication'
  | 'ignitionKnock'
  | 'sensors';

export const SUBSYSTEMS: readonly Subsystem[] = [
  'airBoost',
  'fuel',
  'cooling',
  'lubrication',
  'ignitionKnock',
  'sensors',
];

/** A plain-words reason behind a health drop. */
export interface HealthReason {
  readonly subsystem: Subsystem;
  /** Stable machine code such as `boost.low`. */
  readonly code: string;
  /** Sentence for people, with units. */
  readonly text: string;
  readonly severity: 'info' | 'warning' | 'danger';
}

/** Output of one model backend at one tick. */
export interface BackendOutput {
  readonly backend: 'onnx' | 'tfjs';
  readonly modelVersion: string;
  /** Probability per fault class, including `healthy` and `unknown`. */
  readonly classProbabilities: Readonly<Record<string, number>>;
  readonly latencyMs: number;
  /** Set when this backend failed on this tick. */
  readonly error?: string;
}

/** Health section of a tick, produced by the inference stage. */
export interface HealthSection {
  /** 0-100 per subsystem; 100 is fully healthy. */
  readonly subsystems: Readonly<Record<Subsystem, number>>;
  readonly reasons: readonly HealthReason[];
  readonly backends: readonly BackendOutput[];
  /** Share of classes on which both backends agree on the top class: 0 or 1. */
  readonly agreement: number | null;
  /** Seconds until a rising temperature reaches its warning limit. */
  readonly timeToWarningS: Readonly<Record<string, number>>;
}

/** One diagnostic trouble code read from an OBD-II ECU. */
export interface TroubleCode {
  readonly code: string;
  readonly kind: 'stored' | 'pending';
  readonly ecu: string;
}

/** An event that happened since the previous tick. */
export interface StreamEvent {
  readonly kind:
    | 'source-change'
    | 'source-state'
    | 'gap'
    | 'model-swap'
    | 'codes'
    | 'log-end';
  readonly text: string;
  readonly at: number;
}

/** One message of the WebSocket stream, sent once per tick. */
export interface TickMessage {
  readonly type: 'tick';
  /** Tick sequence number, from 0 at start-up. */
  readonly seq: number;
  /**
   * Session clock in seconds from start-up. Live, it is monotonic time. In a
   * replay it is the log's time from its first record, with gaps over 5 s
   * shortened to 1 s and each reported as a `gap` event.
   */
  readonly timeS: number;
  /** Wall-clock time in milliseconds since the epoch. */
  readonly wallMs: number;
  /** Milliseconds the pipeline spent on this tick. */
  readonly processingMs: number;
  readonly channels: Readonly<Record<string, ChannelReading>>;
  /** Derived metrics; a metric whose inputs are missing is absent. */
  readonly derived: Readonly<Partial<Record<DerivedId, number>>>;
  readonly sources: SourcesSection;
  readonly health?: HealthSection;
  readonly codes?: readonly TroubleCode[];
  /** CAN bus health when a CAN source is active. */
  readonly bus?: Readonly<Record<string, unknown>>;
  readonly events?: readonly StreamEvent[];
}

/** Message a client sends over the WebSocket to enter manual values. */
export interface ManualInputMessage {
  readonly type: 'ingest';
  readonly token?: string;
  readonly samples: readonly IngestSample[];
}

/** One sample in a `POST /ingest` body or a manual WebSocket message. */
export interface IngestSample {
  readonly channel: string;
  readonly value: number;
  /** Optional unit of `value`; canonical when absent. */
  readonly unit?: string;
}

/** Reply to a WebSocket client message that was rejected. */
export interface ErrorMessage {
  readonly type: 'error';
  readonly code: string;
  readonly message: string;
}

export type ServerMessage = TickMessage | ErrorMessage;

/** Body of `GET /health`. */
export interface HealthResponse {
  readonly status: 'ok' | 'degraded';
  readonly version: string;
  readonly uptimeS: number;
  readonly tickRateHz: number;
  readonly ticks: number;
  readonly clients: number;
  readonly profile: string;
  readonly sources: SourcesSection;
  readonly inference?: Readonly<Record<string, unknown>>;
  readonly bus?: Readonly<Record<string, unknown>>;
}

/** Body of every error response of the REST API. */
export interface ApiError {
  readonly error: {
    readonly code: string;
    readonly message: string;
    /** Offending field path, such as `samples[2].value`. */
    readonly field?: string;
  };
}

/** Body of `GET /obd/codes`. */
export interface ObdCodesResponse {
  /** Id of the OBD-II source, such as `obd:/dev/ttyUSB0`. */
  readonly source: string;
  readonly codes: readonly TroubleCode[];
  /** False when the car is not connected and the codes are from the last read. */
  readonly isFresh: boolean;
}

/** Body of `POST /obd/codes/clear`, whose request body must be `{"confirm": "clear-codes"}`. */
export interface ObdClearResponse {
  readonly source: string;
  /** True when an ECU acknowledged the clear request. */
  readonly isConfirmed: boolean;
  /** Codes read again after clearing. */
  readonly codes: readonly TroubleCode[];
}

/** Body of `GET /obd/vehicle`. */
export interface ObdVehicleResponse {
  readonly source: string;
  /** Full VIN, only for `?reveal=1` with write access; otherwise null. */
  readonly vin: string | null;
  /** VIN with all but the maker code and the last 4 characters hidden. */
  readonly vinMasked: string | null;
  readonly protocol: string | null;
  readonly adapter: string | null;
  /** Headers of the ECUs that responded, such as `7E8`. */
  readonly ecus: readonly string[];
}
