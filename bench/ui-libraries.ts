/** @module Entry that bundles Lit and uPlot alone, as the size peer of `bench/ui.ts`. */
import { LitElement, html, render } from 'lit';
import uPlot from 'uplot';

Object.assign(globalThis, { LitElement, html, render, uPlot });
