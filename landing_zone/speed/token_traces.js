// Preloaded into the jsii node runtime (speed/token_traces.py): cdktf records a full JavaScript stack
// trace in every token it creates (`captureStackTrace` on a plain object, with no depth limit), only to
// quote it if that token later fails to resolve. Formatting those traces was about a fifth of a
// 1,000-account re-synth. A plain object's trace is formatted as nothing; an Error's as V8 formats it.
"use strict";
const previous = Error.prepareStackTrace;
Error.prepareStackTrace = function lzPrepareStackTrace(target, frames) {
  if (target instanceof Error) {
    if (previous) return previous(target, frames);
    return `${target}${frames.map((frame) => `\n    at ${frame}`).join("")}`;
  }
  return "";
};
