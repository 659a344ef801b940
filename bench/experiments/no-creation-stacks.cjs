'use strict';
// Experiment only (see bench/README.md, "Profile"): preloaded with `node -r`, it turns off the
// stack trace cdktf 0.21 captures when it creates each token (Lazy, Intrinsic, ComplexResolvable:
// every reference and every nested block of every resource). cdktf calls captureStackTrace() with
// Error.stackTraceLimit = MAX_SAFE_INTEGER and keeps the result as `creationStack`, which only
// appears in the text of some errors. cdktf has no switch for it (App's `stackTraces: false` only
// affects annotations), so this replaces the function on its private module; the synthesized
// output does not change (bench/experiments/fixes.mjs checks it byte for byte).
const stackTrace = require('cdktf/lib/tokens/private/stack-trace.js');

stackTrace.captureStackTrace = () => [];
