import { describe, expect, test } from 'bun:test';
import { loadDspCore } from '../../server/core/dsp.ts';
import { dspWasmBytes, loadTestCore } from './load-core.ts';

// A valid module that exports one function and no memory.
const FOREIGN_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
  0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00,
  0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
]);

describe('loadDspCore', () => {
  test('rejects a zero capacity', async () => {
    await expect(loadTestCore({ capacity: 0 })).rejects.toThrow(
      /Invalid capacity: 0/,
    );
  });

  test('rejects a fractional staging capacity', async () => {
    await expect(loadTestCore({ stagingCapacity: 2.5 })).rejects.toThrow(
      /Invalid stagingCapacity: 2.5/,
    );
  });

  test('rejects a negative staleness limit', async () => {
    await expect(loadTestCore({ staleAfterS: { rpm: -1 } })).rejects.toThrow(
      /Invalid staleAfterS for rpm: -1/,
    );
  });

  test('rejects a zero EWMA time constant', async () => {
    await expect(
      loadTestCore({ ewmaTimeConstantS: { egtC: 0 } }),
    ).rejects.toThrow(/Invalid EWMA time constant for egtC: 0/);
  });

  test('rejects a module that is not the core', async () => {
    await expect(loadDspCore(FOREIGN_MODULE)).rejects.toThrow(
      /not the DSP core: it lacks init/,
    );
  });

  test('rejects bytes that are not WebAssembly', async () => {
    await expect(loadDspCore(new Uint8Array([1, 2, 3]))).rejects.toThrow(
      /not a valid WebAssembly module \(3 bytes\)/,
    );
  });

  test('instances do not share state', async () => {
    const bytes = await dspWasmBytes();
    const first = await loadDspCore(bytes);
    const second = await loadDspCore(bytes);
    first.push([{ channel: 'rpm', timeS: 0, value: 900 }]);

    expect(first.storedCount('rpm')).toBe(1);
    expect(second.storedCount('rpm')).toBe(0);
  });
});
