/**
 * @module The sub-commands of the `2jz-monitor` executable. Each command is
 * a small file that wires existing parts together; `serve` is the default.
 */

/** A sub-command: receives the arguments after its name, returns an exit code. */
export type Command = (argv: readonly string[]) => Promise<number>;

export interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  serve: {
    summary: 'run the monitor: sources, pipeline, server and dashboard (default)',
    load: async () => (await import('./serve.ts')).runServe,
  },
  'elm327-sim': {
    summary: 'serve an emulated ELM327 adapter on a pseudo-terminal (try the monitor without a car)',
    load: async () => (await import('./elm327-sim.ts')).runElm327Sim,
  },
  decode: { summary: 'decode a CAN capture (candump, ASC) with a DBC into JSON lines', load: async () => (await import('./decode.ts')).runDecode },
  train: { summary: 'train both health models, or fit this engine\'s baseline with --baseline LOG...', load: async () => (await import('./train.ts')).runTrain },
  evaluate: { summary: 'evaluate the health models on held-out faults and real healthy logs; write a Markdown report', load: async () => (await import('./evaluate.ts')).runEvaluate },
};
