/**
 * @module Preloaded before every test file (see bunfig.toml): a default
 * timeout that fits the tests that start Chromium, the compiled executable
 * or a replay of a 52-minute log on a 2-core machine, and log lines kept off
 * stderr so the test output stays readable.
 */
import { setDefaultTimeout } from 'bun:test';
import { configureLogging } from '../../server/log/logger.ts';

setDefaultTimeout(60_000);
configureLogging({ isStderrEnabled: false });
