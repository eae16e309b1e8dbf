/** @module Entry point of the dashboard bundle: defines the elements and mounts the app. */
import './app-shell.ts';

if (!document.querySelector('monitor-app')) {
  document.body.append(document.createElement('monitor-app'));
}
