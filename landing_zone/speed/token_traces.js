// Preloaded into the jsii node runtime (speed/token_traces.py). cdktf records a complete JavaScript
// stack trace in every token it creates (Error.captureStackTrace into a plain object, with no depth
// limit), only to quote it if that token later fails to resolve. Walking and formatting those traces
// was a sixth of a 1,000-account re-synth. A capture into anything but an Error records nothing; an
// Error's stack is captured as before.
"use strict";
const capture = Error.captureStackTrace;
Error.captureStackTrace = function captureStackTrace(target, below) {
  if (target instanceof Error) {
    return capture(target, below);
  }
  return undefined;
};
