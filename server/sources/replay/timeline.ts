/**
 * @module Playback time of a recording: log time with each long silence
 * shortened to a brief pause, so a replay does not sit idle for minutes
 * where the logger was offline. Markers and compressed gaps become events
 * at their playback time.
 */
import type { Recording } from './recording.ts';

/** Something the replay reports when playback reaches it. */
export interface PlaybackEvent {
  readonly playbackS: number;
  readonly text: string;
}

/** Options for `buildTimeline`. */
export interface TimelineOptions {
  /** Playback length, in seconds, of each compressed gap. */
  readonly pauseS?: number;
}

/** Log-to-playback mapping of one recording. */
export interface Timeline {
  /** Converts ascending log times to playback times. */
  toPlayback(logTimesS: Float64Array): Float64Array;
  readonly events: readonly PlaybackEvent[];
  readonly durationS: number;
}

/** Default playback length, in seconds, of a compressed gap. */
export const DEFAULT_PAUSE_S = 1;

/** Builds the playback timeline, compressing every gap the recording lists. */
export function buildTimeline(recording: Recording, options: TimelineOptions = {}): Timeline {
  const pauseS = options.pauseS ?? DEFAULT_PAUSE_S;
  const gaps = [...recording.gaps].sort((a, b) => a.startS - b.startS);
  // removedS[i] is the playback time cut by gaps 0..i-1.
  const removedS = [0];
  for (const gap of gaps) {
    removedS.push(removedS[removedS.length - 1] + Math.max(0, gap.endS - gap.startS - pauseS));
  }

  const toPlaybackS = (logS: number): number =>
    mapAscending(Float64Array.of(logS), gaps, removedS, pauseS)[0];

  const events: PlaybackEvent[] = [
    ...gaps.map((gap) => ({
      playbackS: toPlaybackS(gap.startS),
      text:
        `log gap of ${(gap.endS - gap.startS).toFixed(1)} s at ${gap.startS.toFixed(1)} s ` +
        `of ${recording.fileName}, replayed as a ${pauseS} s pause`,
    })),
    ...recording.markers.map((marker) => ({
      playbackS: toPlaybackS(marker.timeS),
      text: `marker at ${marker.timeS.toFixed(1)} s of ${recording.fileName}: ${marker.text}`,
    })),
  ].sort((a, b) => a.playbackS - b.playbackS);

  return {
    toPlayback(logTimesS) {
      return mapAscending(logTimesS, gaps, removedS, pauseS);
    },
    events,
    durationS: toPlaybackS(recording.durationS),
  };
}

/** Maps ascending times in one pass over the gaps. */
function mapAscending(
  logTimesS: Float64Array,
  gaps: Recording['gaps'],
  removedS: readonly number[],
  pauseS: number,
): Float64Array {
  const out = new Float64Array(logTimesS.length);
  let i = 0;
  for (let k = 0; k < logTimesS.length; k++) {
    const logS = logTimesS[k];
    while (i < gaps.length && gaps[i].endS <= logS) i++;
    const isInside = i < gaps.length && logS > gaps[i].startS;
    out[k] = isInside
      ? gaps[i].startS - removedS[i] + Math.min(logS - gaps[i].startS, pauseS)
      : logS - removedS[i];
  }
  return out;
}
