/**
 * @module Random single-signal DBC messages for property tests: every
 * byte order, sign, length from 1 to 64 bits, float32 and double.
 */
import { randomInt } from './random.ts';

/** Writes `messages` DBC messages of 8 bytes, each with one random signal named Value. */
export function randomLayoutDbc(random: () => number, messages: number): string {
  let text = '';
  const valueTypes: string[] = [];
  for (let m = 0; m < messages; m++) {
    text += `BO_ ${m + 1} RANDOM_${m}: 8 E\n`;
    const kind = random();
    const isFloat = kind < 0.1;
    const isDouble = kind >= 0.1 && kind < 0.15;
    let length = randomInt(random, 1, 64);
    if (isFloat) length = 32;
    if (isDouble) length = 64;
    const isIntel = random() < 0.5;
    let startBit: number;
    if (isIntel) {
      startBit = randomInt(random, 0, 64 - length);
    } else {
      // Pick the LSB's big-endian position, then walk back to the MSB.
      const msbLinear = randomInt(random, 0, 64 - length);
      startBit = (msbLinear >> 3) * 8 + (7 - (msbLinear & 7));
    }
    const sign = random() < 0.5 ? '-' : '+';
    const factor = [1, 0.1, 0.25, 3][randomInt(random, 0, 3)];
    const offset = [0, -40, 100.5][randomInt(random, 0, 2)];
    text += ` SG_ Value : ${startBit}|${length}@${isIntel ? 1 : 0}${sign} (${factor},${offset}) [0|0] "" E\n`;
    if (isFloat || isDouble) valueTypes.push(`SIG_VALTYPE_ ${m + 1} Value : ${isFloat ? 1 : 2};\n`);
  }
  return text + '\n' + valueTypes.join('');
}
