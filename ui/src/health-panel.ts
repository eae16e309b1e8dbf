/**
 * @module `<health-panel>`: subsystem health bars (0-100) with the reasons
 * behind each drop, the two model backends' latency and agreement, and
 * trouble codes. It hides itself while a tick carries neither health nor codes.
 */
import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import {
  SUBSYSTEMS,
  type BackendOutput,
  type HealthSection,
  type Subsystem,
  type TroubleCode,
} from '../../server/protocol.ts';
import { channelDisplay } from './channel-catalog.ts';
import { formatDurationS, formatValue } from './format.ts';
import { limitBadge } from './limit-badge.ts';
import { LightElement } from './light-element.ts';

const SUBSYSTEM_LABELS: Readonly<Record<Subsystem, string>> = {
  airBoost: 'Air and boost',
  fuel: 'Fuel',
  cooling: 'Cooling',
  lubrication: 'Lubrication',
  ignitionKnock: 'Ignition and knock',
  sensors: 'Sensors',
};

// NOTE: display bands chosen for the dashboard, not limits from the models.
const WARNING_BELOW = 75;
const DANGER_BELOW = 50;

/** Returns the display level of a 0-100 health score. */
export function healthLevel(score: number): 'ok' | 'warning' | 'danger' {
  if (score < DANGER_BELOW) return 'danger';
  return score < WARNING_BELOW ? 'warning' : 'ok';
}

/** Panel of engine health and trouble codes. */
export class HealthPanel extends LightElement {
  @property({ attribute: false }) health?: HealthSection;
  @property({ attribute: false }) codes?: readonly TroubleCode[];

  protected override willUpdate(): void {
    this.hidden = this.health === undefined && this.codes === undefined;
  }

  protected override render() {
    return html`<h2>Engine health</h2>
      ${this.health ? this.renderHealth(this.health) : nothing}
      ${this.codes ? this.renderCodes(this.codes) : nothing}`;
  }

  private renderHealth(health: HealthSection) {
    return html`<ul class="subsystem-list">
        ${SUBSYSTEMS.map((id) => this.renderSubsystem(id, health.subsystems[id]))}
      </ul>
      ${health.reasons.length === 0
        ? html`<p class="muted">No reasons for concern.</p>`
        : html`<ul class="reason-list">
            ${health.reasons.map(
              (reason) => html`<li data-severity=${reason.severity} data-code=${reason.code}>
                ${limitBadge(reason.severity)} ${reason.text}
              </li>`,
            )}
          </ul>`}
      ${this.renderTimeToWarning(health.timeToWarningS)} ${this.renderBackends(health)}`;
  }

  private renderSubsystem(id: Subsystem, score: number) {
    const level = healthLevel(score);
    const clamped = Math.min(100, Math.max(0, score));
    return html`<li class="subsystem" data-subsystem=${id} data-state=${level}>
      <span class="subsystem-label">${SUBSYSTEM_LABELS[id]}</span>
      <span
        class="bar"
        role="meter"
        aria-label=${SUBSYSTEM_LABELS[id]}
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${clamped}
        ><span class="bar-fill" style="width: ${clamped}%"></span
      ></span>
      <span class="subsystem-score">${formatValue(score, 0)}</span>
      ${limitBadge(level)}
    </li>`;
  }

  private renderTimeToWarning(times: HealthSection['timeToWarningS']) {
    const entries = Object.entries(times);
    if (entries.length === 0) return nothing;
    return html`<ul class="time-to-warning">
      ${entries.map(
        ([channel, seconds]) => html`<li data-channel=${channel}>
          ${channelDisplay(channel).label} reaches its warning limit in about ${formatDurationS(seconds)}
        </li>`,
      )}
    </ul>`;
  }

  private renderBackends(health: HealthSection) {
    return html`<table class="backend-table">
        <thead>
          <tr><th>Backend</th><th>Model</th><th>Top class</th><th>Latency</th></tr>
        </thead>
        <tbody>
          ${health.backends.map((backend) => this.renderBackend(backend))}
        </tbody>
      </table>
      <p class="agreement" data-agreement=${health.agreement ?? 'none'}>
        ${agreementText(health.agreement)}
      </p>`;
  }

  private renderBackend(backend: BackendOutput) {
    const top = topClass(backend.classProbabilities);
    return html`<tr data-backend=${backend.backend}>
      <td>${backend.backend}</td>
      <td>${backend.modelVersion}</td>
      <td>
        ${backend.error
          ? html`${limitBadge('danger')} ${backend.error}`
          : top
            ? `${top.name} ${formatValue(top.probability * 100, 0)} %`
            : '—'}
      </td>
      <td>${formatValue(backend.latencyMs, 2)} ms</td>
    </tr>`;
  }

  private renderCodes(codes: readonly TroubleCode[]) {
    return html`<h3>Trouble codes</h3>
      ${codes.length === 0
        ? html`<p class="codes-none">No trouble codes stored or pending.</p>`
        : html`<ul class="code-list">
            ${codes.map(
              (code) => html`<li data-code=${code.code}>
                <strong>${code.code}</strong> ${code.kind} (ECU ${code.ecu})
              </li>`,
            )}
          </ul>`}`;
  }
}

function agreementText(agreement: number | null): string {
  if (agreement === null) return 'Backend agreement: —';
  return agreement >= 1
    ? 'Both backends agree on the top class.'
    : 'The backends disagree on the top class.';
}

function topClass(
  probabilities: Readonly<Record<string, number>>,
): { name: string; probability: number } | null {
  let best: { name: string; probability: number } | null = null;
  for (const [name, probability] of Object.entries(probabilities)) {
    if (!best || probability > best.probability) best = { name, probability };
  }
  return best;
}

customElements.define('health-panel', HealthPanel);
