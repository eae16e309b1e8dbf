import { afterEach, describe, expect, test } from 'bun:test';
import * as fs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  closeSerialPort,
  configuredWith,
  listSerialPorts,
  openPtyPair,
  openSerialPort,
  openWithBaudDetection,
  SerialConfigError,
  type TtyStream,
} from '../../server/serial/index.ts';
import { startSocatPair, type SocatPair } from './socat.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function socat(): Promise<SocatPair> {
  const pair = await startSocatPair();
  cleanups.push(() => pair.stop());
  return pair;
}

async function open(path: string, baudRate = 38400): Promise<TtyStream> {
  const stream = await openSerialPort(path, { baudRate });
  cleanups.unshift(() => closeSerialPort(stream));
  return stream;
}

function nextData(stream: TtyStream, until: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes(until)) {
        stream.off('data', onData);
        resolve(text);
      }
    };
    stream.on('data', onData);
  });
}

function openFdTargets(): string[] {
  return fs.readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [fs.readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return [];
    }
  });
}

describe('openSerialPort over socat', () => {
  test('exchanges bytes both ways', async () => {
    const pair = await socat();
    const a = await open(pair.pathA);
    const b = await open(pair.pathB);

    const atB = nextData(b, '\r');
    a.write('ATI\r');
    expect(await atB).toBe('ATI\r');

    const atA = nextData(a, '>');
    b.write('ELM327 v1.5\r\r>');
    expect(await atA).toBe('ELM327 v1.5\r\r>');
  });

  test('passes every byte value unchanged', async () => {
    const pair = await socat();
    const a = await open(pair.pathA);
    const b = await open(pair.pathB);
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

    const received: Buffer[] = [];
    const done = new Promise<void>((resolve) => {
      b.on('data', (chunk: Buffer) => {
        received.push(chunk);
        if (Buffer.concat(received).length >= all.length) resolve();
      });
    });
    a.write(all);
    await done;
    expect(Buffer.concat(received).equals(all)).toBe(true);
  });

  test('sets raw mode and speed', async () => {
    const pair = await socat();
    const a = await open(pair.pathA, 115200);
    expect(configuredWith(a)).toBe('tcsetattr');

    const { baudRate } = await a.port!.getBaudRate();
    expect(baudRate).toBe(115200);

    const stty = Bun.spawnSync(['stty', '-F', pair.pathA, '-a']).stdout.toString();
    expect(stty).toContain('speed 115200 baud');
    expect(stty).toContain('-icanon');
    expect(stty).toContain('-echo ');
    expect(stty).toContain('cs8');
    expect(stty).toContain('-parenb');
  });

  test('rejects an unsupported speed', async () => {
    const pair = await socat();
    const error = await openSerialPort(pair.pathA, { baudRate: 12345 }).catch((e) => e);
    expect(error).toBeInstanceOf(SerialConfigError);
    expect(error.message).toContain('12345');
    expect(error.message).toContain('38400');
  });

  test('rejects a missing device with ENOENT', async () => {
    const error = await openSerialPort('/nonexistent/ttyUSB9', { baudRate: 38400 }).catch((e) => e);
    expect(error.code).toBe('ENOENT');
  });

  test('close releases the descriptor', async () => {
    const pair = await socat();
    const target = fs.realpathSync(pair.pathA);
    const a = await open(pair.pathA);
    a.on('data', () => {});
    expect(openFdTargets()).toContain(target);

    await closeSerialPort(a);
    expect(a.isOpen).toBe(false);
    expect(openFdTargets()).not.toContain(target);
  });

  test('peer close emits close and error', async () => {
    const pair = await socat();
    const a = await open(pair.pathA);
    a.on('data', () => {});

    const errors: Error[] = [];
    a.on('error', (error) => errors.push(error));
    const closed = new Promise<Error | null>((resolve) => a.once('close', resolve));
    await pair.stop();

    const closeError = (await closed) as Error & { disconnected?: boolean };
    expect(closeError.disconnected).toBe(true);
    expect(errors.length).toBe(1);
    expect(errors[0].name).toBe('SerialDisconnectError');
    expect(a.isOpen).toBe(false);
  });
});

describe('openWithBaudDetection', () => {
  test('returns first accepted speed', async () => {
    const pair = await socat();
    const tried: number[] = [];
    const { stream, baudRate } = await openWithBaudDetection(pair.pathA, async (s) => {
      tried.push(s.baudRate);
      return s.baudRate === 115200;
    });
    cleanups.unshift(() => closeSerialPort(stream));

    expect(baudRate).toBe(115200);
    expect(tried).toEqual([38400, 9600, 115200]);
    expect(stream.isOpen).toBe(true);
    const target = fs.realpathSync(pair.pathA);
    expect(openFdTargets().filter((t) => t === target).length).toBe(1);
  });

  test('rejects when no speed replies', async () => {
    const pair = await socat();
    const error = await openWithBaudDetection(pair.pathA, async () => false, [9600, 38400]).catch(
      (e) => e,
    );
    expect(error.message).toContain('9600, 38400');
  });
});

describe('openPtyPair', () => {
  test('serves a client through the link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pty-'));
    const pty = await openPtyPair(join(dir, 'elm'));
    cleanups.push(() => pty.close());
    expect(fs.realpathSync(join(dir, 'elm'))).toBe(pty.slavePath);

    const client = await open(join(dir, 'elm'));
    const atMaster = nextData(pty.master as TtyStream, '\r');
    client.write('0100\r');
    expect(await atMaster).toBe('0100\r');

    const atClient = nextData(client, '>');
    pty.master.write('41 00 BE 3E B8 11\r\r>');
    expect(await atClient).toBe('41 00 BE 3E B8 11\r\r>');
  });

  test('close disconnects client, removes link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pty-'));
    const link = join(dir, 'elm');
    const pty = await openPtyPair(link);
    const client = await open(link);
    client.on('data', () => {});
    const closed = new Promise<Error | null>((resolve) => client.once('close', resolve));

    await pty.close();
    const error = (await closed) as Error & { disconnected?: boolean };
    expect(error.disconnected).toBe(true);
    expect(fs.existsSync(link)).toBe(false);
  });

  test('new pair replaces the link target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pty-'));
    const link = join(dir, 'elm');
    const first = await openPtyPair(link);
    const second = await openPtyPair(link);
    cleanups.push(() => second.close());

    expect(fs.realpathSync(link)).toBe(second.slavePath);
    await first.close();
    expect(fs.realpathSync(link)).toBe(second.slavePath);
  });
});

describe('listSerialPorts', () => {
  test('lists by-id links then adapters', async () => {
    const dev = mkdtempSync(join(tmpdir(), 'dev-'));
    fs.mkdirSync(join(dev, 'serial/by-id'), { recursive: true });
    fs.writeFileSync(join(dev, 'ttyUSB0'), '');
    fs.writeFileSync(join(dev, 'ttyACM1'), '');
    fs.writeFileSync(join(dev, 'ttyS0'), '');
    const byId = join(dev, 'serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0');
    fs.symlinkSync('../../ttyUSB0', byId);

    const ports = await listSerialPorts(dev);
    expect(ports).toEqual([
      { path: join(dev, 'ttyUSB0'), byId },
      { path: join(dev, 'ttyACM1') },
    ]);
  });

  test('empty without by-id folder', async () => {
    const dev = mkdtempSync(join(tmpdir(), 'dev-'));
    expect(await listSerialPorts(dev)).toEqual([]);
  });
});
