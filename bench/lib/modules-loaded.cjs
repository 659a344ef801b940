'use strict';
// Preload (node -r bench/lib/modules-loaded.cjs ...): on exit, writes the CommonJS modules the
// process loaded, as JSON [[file, bytes], ...], to the file named by RAINBOW_BENCH_MODULES.
// Used by bench/profile.mjs to say which packages a command loads.
const fs = require('fs');
process.on('exit', () => {
  const out = process.env.RAINBOW_BENCH_MODULES;
  if (!out) return;
  const files = Object.keys(require.cache).filter((f) => f !== __filename).map((f) => {
    let bytes = 0;
    try {
      bytes = fs.statSync(f).size;
    } catch {
      // a module without a file
    }
    return [f, bytes];
  });
  fs.writeFileSync(out, JSON.stringify(files));
});
