/**
 * @module A text progress bar on stderr for long commands: redrawn in place
 * on a terminal, one line per step when stderr is a file or pipe.
 */

const WIDTH = 30;

/** Progress of one named step out of a known number of units. */
export class ProgressBar {
  private done = 0;
  private lastDrawnShare = -1;
  private readonly isTerminal = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly isQuiet = false,
  ) {
    this.draw();
  }

  /** Advances by `units` and redraws when the shown share changed. */
  tick(units = 1): void {
    this.done = Math.min(this.total, this.done + units);
    this.draw();
  }

  /** Completes the bar and ends its line. */
  finish(detail = ''): void {
    this.done = this.total;
    if (detail !== '' || this.isTerminal) {
      this.lastDrawnShare = -1;
      this.draw(detail);
    }
    if (!this.isQuiet && this.isTerminal) process.stderr.write('\n');
  }

  private draw(detail = ''): void {
    if (this.isQuiet) return;
    const share = this.total === 0 ? 1 : this.done / this.total;
    const shownShare = Math.floor(share * (this.isTerminal ? 100 : 4)) / (this.isTerminal ? 100 : 4);
    if (shownShare === this.lastDrawnShare && detail === '') return;
    this.lastDrawnShare = shownShare;

    const filled = Math.round(share * WIDTH);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}]`;
    const line = `${bar} ${String(Math.round(share * 100)).padStart(3)} % ${this.label} (${this.done}/${this.total})${detail ? ` ${detail}` : ''}`;
    process.stderr.write(this.isTerminal ? `\r${line}` : `${line}\n`);
  }
}
