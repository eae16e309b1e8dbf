import { describe, expect, test } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR, hasSharedData, sharedDataFile } from '../../support/shared-data.ts';

const BUN = process.execPath;

/** Runs `decode` with `args` in a child process and returns its output and exit code. */
function runDecode(args: string[]): { code: number; lines: string[]; stderr: string } {
  const script = `import { runDecode } from './server/commands/decode.ts';
process.exitCode = await runDecode(${JSON.stringify(args)});`;
  const run = Bun.spawnSync([BUN, '-e', script], { cwd: REPO_DIR, stdout: 'pipe', stderr: 'pipe' });
  const lines = run.stdout.toString().split('\n').filter((l) => l !== '');
  return { code: run.exitCode ?? -1, lines, stderr: run.stderr.toString() };
}

function writeFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'decode-')), name);
  writeFileSync(path, text);
  return path;
}

const DBC = `VERSION ""
BU_: E
BO_ 1000 DASH: 8 E
 SG_ Index M : 0|8@1+ (1,0) [0|3] "" E
 SG_ Rpm m0 : 16|16@1+ (1,0) [0|9000] "rpm" E
 SG_ Volts m1 : 16|16@1+ (0.01,0) [0|30] "V" E
BO_ 1001 OTHER: 1 E
 SG_ Flag : 0|1@1+ (1,0) [0|1] "" E
VAL_ 1000 Index 0 "engine" 1 "supply" ;
`;

describe('decode command', () => {
  test('prints one JSON line per present signal with labels', () => {
    const dbc = writeFile('dash.dbc', DBC);
    const capture = writeFile('c.log', '(1.5) can0 3E8#0000B80B00000000\n(1.6) can0 3E8#0100B004\n(1.7) can0 3E9#01\n');
    const { code, lines } = runDecode(['--dbc', dbc, capture]);
    expect(code).toBe(0);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: 1.5, message: 'DASH', signal: 'Index', value: 0, unit: '', label: 'engine' },
      { time: 1.5, message: 'DASH', signal: 'Rpm', value: 3000, unit: 'rpm' },
      { time: 1.6, message: 'DASH', signal: 'Index', value: 1, unit: '', label: 'supply' },
      { time: 1.6, message: 'DASH', signal: 'Volts', value: 12, unit: 'V' },
      { time: 1.7, message: 'OTHER', signal: 'Flag', value: 1, unit: '' },
    ]);
  });

  test('message filter by name or id', () => {
    const dbc = writeFile('dash.dbc', DBC);
    const capture = writeFile('c.log', '(1.5) can0 3E8#0000B80B00000000\n(1.7) can0 3E9#01\n');
    expect(runDecode(['--dbc', dbc, '--message', 'OTHER', capture]).lines.length).toBe(1);
    expect(runDecode(['--dbc', dbc, '--message', '0x3E8', capture]).lines.length).toBe(2);
    const unknown = runDecode(['--dbc', dbc, '--message', 'NOPE', capture]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--message NOPE matches no message');
  });

  test('flagged extended id matches', () => {
    const dbc = writeFile('ext.dbc', 'VERSION ""\nBU_: E\nBO_ 2566914048 EXT: 1 E\n SG_ Gear : 0|8@1+ (1,0) [0|6] "" E\n');
    const capture = writeFile('c.log', '(1.0) can0 19000000#03\n');
    for (const id of ['2566914048', '0x99000000', '0x19000000']) {
      const run = runDecode(['--dbc', dbc, '--message', id, capture]);
      expect(run.lines.map((l) => JSON.parse(l).value)).toEqual([3]);
    }
    expect(runDecode(['--dbc', dbc, '--message', '2147483648', capture]).code).toBe(1);
  });

  test('values rounded to resolution', () => {
    const dbc = writeFile('res.dbc', [
      'VERSION ""',
      'BU_: E',
      'BO_ 256 M: 8 E',
      ' SG_ Tenths : 0|16@1+ (0.1,0) [0|6553.5] "kPa" E',
      ' SG_ Offset : 16|8@1+ (0.05,-40.05) [-40|0] "degC" E',
      ' SG_ Real : 32|32@1+ (1,0) [0|0] "" E',
      'SIG_VALTYPE_ 256 Real : 1;',
      '',
    ].join('\n'));
    // 1001 * 0.1 is 100.10000000000001 in doubles; 0.1f as float32 has no short form.
    const capture = writeFile('c.log', '(1.0) can0 100#E9030300CDCCCC3D\n');
    const values = runDecode(['--dbc', dbc, capture]).lines.map((l) => JSON.parse(l).value);
    expect(values).toEqual([100.1, -39.9, Math.fround(0.1)]);
  });

  test('DBC warnings printed, decoding continues', () => {
    const dbc = writeFile('warn.dbc', [
      'VERSION ""',
      'BU_: E',
      'BO_ 256 SHORT: 2 E',
      ' SG_ Far : 16|8@1+ (1,0) [0|255] "" E',
      ' SG_ Near : 0|8@1+ (1,0) [0|255] "" E',
      'BO_ 4096 WIDE: 8 E',
      ' SG_ W : 0|8@1+ (1,0) [0|255] "" E',
      'BA_DEF_ BO_ "GenMsgCycleTime" INT 0 65535;',
      'BA_ "GenMsgCycleTime" BO_ 256 -10;',
      '',
    ].join('\n'));
    const run = runDecode(['--dbc', dbc, writeFile('c.log', '(1.0) can0 100#0102\n')]);
    expect(run.code).toBe(0);
    expect(run.lines.map((l) => JSON.parse(l).signal)).toEqual(['Near']);
    expect(run.stderr).toContain('GenMsgCycleTime of message SHORT is -10');
    expect(run.stderr).toContain('the overdue check is off for it');
    expect(run.stderr).toContain('signals past their message\'s length, decoded only from longer frames: SHORT.Far (needs 3 of 2 bytes)');
    expect(run.stderr).toContain('standard ids above 0x7FF, which no frame can carry');
    expect(run.stderr).toContain('WIDE (0x1000)');
  });

  test('DBC error names file, line and column', () => {
    const dbc = writeFile('bad.dbc', 'BO_ 1 M: 8 E\n SG_ S : 0|8@3+ (1,0) [0|1] "" E\n');
    const capture = writeFile('c.log', '(1.5) can0 001#00\n');
    const { code, stderr } = runDecode(['--dbc', dbc, capture]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${dbc}:2:14: expected byte order`);
  });

  test('bad capture line names file and line', () => {
    const dbc = writeFile('dash.dbc', DBC);
    const capture = writeFile('c.log', '(1.5) can0 3E9#01\n(1.6) can0 3E9#0\n(1.7) can0 3E9#01\n');
    const { code, lines, stderr } = runDecode(['--dbc', dbc, capture]);
    expect(code).toBe(0);
    expect(lines.length).toBe(2);
    expect(stderr).toContain(`${capture}:2: invalid payload hex`);
  });

  test('missing arguments print usage', () => {
    const { code, stderr } = runDecode(['--dbc']);
    expect(code).toBe(1);
    expect(stderr).toContain('usage: 2jz-monitor decode');
  });

  const CAPTURE = 'can/rav4_2017_segment40_all_buses.log';
  test.skipIf(!hasSharedData(CAPTURE) || !hasSharedData('can/_toyota_2017.dbc'))('RAV4 engine speed', () => {
    const { code, lines } = runDecode(['--dbc', sharedDataFile('can/_toyota_2017.dbc')!, '--message', 'ENGINE_RPM', sharedDataFile(CAPTURE)!]);
    expect(code).toBe(0);
    const rpm = lines.map((l) => JSON.parse(l)).filter((l) => l.signal === 'RPM');
    expect(rpm.length).toBeGreaterThan(2400);
    expect(rpm.every((l) => l.unit === 'rpm' && l.value >= 0 && l.value < 8000)).toBe(true);
  }, 60_000);
});
