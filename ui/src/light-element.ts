/**
 * @module Base class of the dashboard's components. They render into the
 * light DOM so that one page stylesheet (`app.css`, which includes uPlot's
 * CSS) styles every component and chart.
 */
import { LitElement } from 'lit';

/** Lit element that renders its template into itself instead of a shadow root. */
export class LightElement extends LitElement {
  /** Returns the element itself, so the page stylesheet applies to the template. */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }
}
