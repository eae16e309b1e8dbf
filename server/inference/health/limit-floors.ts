/**
 * @module The profile's fixed limits applied to the last sample of a
 * prediction request. A tick reports each channel's limit state beside its
 * health section, but a `POST /predict` reply has no channel states, so a
 * request describing an engine past its limits (zero oil pressure, boiling
 * coolant) must show that in the subsystems' health and reasons instead.
 */
import { channelSpec, type ChannelId } from '../../domain/channels.ts';
import type { EngineProfile } from '../../domain/profile-types.ts';
import { instantLimitCrossing } from '../../pipeline/limits.ts';
import type { HealthReason, Subsystem } from '../../protocol.ts';
import { WARNING_HEALTH } from './assess.ts';
import type { ChannelSnapshot, HealthChannel } from './snapshot.ts';

/** Subsystem each limited channel belongs to. */
const CHANNEL_SUBSYSTEMS: Readonly<Partial<Record<HealthChannel, Subsystem>>> = {
  mapKpa: 'airBoost',
  boostKpa: 'airBoost',
  iatC: 'airBoost',
  lambda: 'fuel',
  fuelPressureKpa: 'fuel',
  coolantC: 'cooling',
  coolantPressureKpa: 'cooling',
  oilTempC: 'lubrication',
  oilPressureKpa: 'lubrication',
  knockLevel: 'ignitionKnock',
  knockRetardDeg: 'ignitionKnock',
  batteryV: 'sensors',
};

/** Health of a subsystem with a channel in danger; a warning caps it at `WARNING_HEALTH`. */
const DANGER_HEALTH = 30;

/** Lowers subsystem health and adds a reason for each channel of `snapshot` past a profile limit. */
export function applyLimitFloors(
  profile: EngineProfile,
  snapshot: ChannelSnapshot,
  subsystems: Record<Subsystem, number>,
  reasons: HealthReason[],
): void {
  const rpm = Number.isFinite(snapshot.rpm) ? snapshot.rpm : null;
  for (const [channel, subsystem] of Object.entries(CHANNEL_SUBSYSTEMS) as [HealthChannel, Subsystem][]) {
    const limits = profile.limits[channel as ChannelId];
    const crossing = limits ? instantLimitCrossing(limits, snapshot[channel], rpm) : null;
    if (crossing === null) continue;

    const cap = crossing.state === 'danger' ? DANGER_HEALTH : WARNING_HEALTH;
    subsystems[subsystem] = Math.min(subsystems[subsystem], cap);
    const spec = channelSpec(channel as ChannelId);
    const direction = crossing.side === 'high' ? 'above' : 'below';
    reasons.push({
      subsystem,
      code: `limit.${channel}.${crossing.side}`,
      text:
        `${spec.label.toLowerCase()} ${round(snapshot[channel])} ${spec.unit} is ${direction} ` +
        `this engine's ${crossing.state} limit of ${round(crossing.limit)} ${spec.unit}`,
      severity: crossing.state,
    });
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
