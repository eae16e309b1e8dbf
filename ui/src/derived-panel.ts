/**
 * @module `<derived-panel>`: the derived metrics of the latest tick with their
 * units, and a small chart of each. A metric the pipeline could not compute
 * is shown as a dash, never as zero.
 */
import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { DERIVED_IDS, DERIVED_UNITS, type TickMessage } from '../../server/protocol.ts';
import { DERIVED_CHARTS, DERIVED_LABELS, derivedSeries } from './dashboard-config.ts';
import { formatValue } from './format.ts';
import { LightElement } from './light-element.ts';
import type { SeriesHistory } from './series-history.ts';
import './time-chart.ts';

/** Panel of the five derived metrics. */
export class DerivedPanel extends LightElement {
  @property({ attribute: false }) derived: TickMessage['derived'] = {};
  @property({ attribute: false }) history?: SeriesHistory;
  @property({ attribute: false }) revision = 0;

  protected override render() {
    return html`<h2>Derived metrics</h2>
      <dl class="metric-list">
        ${DERIVED_IDS.map((id) => {
          const value = this.derived[id];
          return html`<div class="metric" data-metric=${id} ?data-absent=${value === undefined}>
            <dt>${DERIVED_LABELS[id]}</dt>
            <dd>
              <span class="number">${formatValue(value, derivedSeries(id).decimals)}</span>
              <span class="unit">${DERIVED_UNITS[id]}</span>
            </dd>
          </div>`;
        })}
      </dl>
      <div class="derived-charts">
        ${DERIVED_CHARTS.map(
          (group) => html`<time-chart
            data-chart=${group.id}
            .group=${group}
            .history=${this.history}
            .revision=${this.revision}
          ></time-chart>`,
        )}
      </div>`;
  }
}

customElements.define('derived-panel', DerivedPanel);
