// jest's node environment (a custom testEnvironment, as jest documents), with one difference from
// a user's program, the same one the `rainbow` command makes (constructs/core.ts,
// withoutTokenCreationStacks): cdktf's token creation stacks are left empty.
//
// cdktf records a full stack trace for every token it creates, on a plain object, only for the
// text of some token errors; no test reads one. Under jest, each such trace would go through jest's
// source maps, cdktf's inline ones included: several seconds of the suite's CPU time. V8 formats a
// stack captured in the test files' realm with that realm's `Error.prepareStackTrace`, so the
// test realm gets one that formats a stack captured on anything but an Error as empty text, and
// every Error as before, by the worker's formatter (jest's source maps), looked up at each call.
// cdktf's code is the code users run; nothing of jest's or Node's is replaced.
const { TestEnvironment } = require('jest-environment-node');

class RainbowTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const TestError = this.global.Error;
    TestError.prepareStackTrace = (error, frames) => {
      if (!(error instanceof TestError)) return '';
      if (typeof Error.prepareStackTrace === 'function') return Error.prepareStackTrace(error, frames);
      return `${TestError.prototype.toString.call(error)}${frames.map((frame) => `\n    at ${frame}`).join('')}`;
    };
  }
}

module.exports = RainbowTestEnvironment;
