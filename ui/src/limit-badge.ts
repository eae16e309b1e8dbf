/**
 * @module Words and symbols for limit states, so that warning and danger are
 * shown by text and shape as well as by colour.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { LimitState } from '../../server/protocol.ts';

const BADGES: Readonly<Record<LimitState, { symbol: string; text: string }>> = {
  ok: { symbol: '', text: '' },
  warning: { symbol: '▲', text: 'Warning' },
  danger: { symbol: '■', text: 'Danger' },
};

/** Renders a badge for a warning or danger state, and nothing for `ok`. */
export function limitBadge(state: LimitState | 'info'): TemplateResult | typeof nothing {
  if (state === 'ok') return nothing;
  const badge = state === 'info' ? { symbol: '●', text: 'Info' } : BADGES[state];
  return html`<span class="badge badge-${state}"
    ><span aria-hidden="true">${badge.symbol}</span> ${badge.text}</span
  >`;
}
