// A mocha reporter: the spec reporter's output, then the slowest files and tests by wall time.
// Use: npx mocha --reporter test/helpers/durations-reporter.cjs [--reporter-option top=20]
'use strict';
const Mocha = require('mocha');
const { EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_TEST_END, EVENT_RUN_END } = Mocha.Runner.constants;

class Durations extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const top = Number(options?.reporterOption?.top ?? 20);
    const started = new Map(); // top-level suite → start time
    const files = new Map(); // file → ms
    const tests = [];
    const runStart = Date.now();
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (suite.parent?.root && suite.file) started.set(suite, Date.now());
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      const t = started.get(suite);
      if (t === undefined) return;
      files.set(suite.file, (files.get(suite.file) ?? 0) + Date.now() - t);
    });
    runner.on(EVENT_TEST_END, (test) => tests.push({ title: test.fullTitle(), file: test.file, ms: test.duration ?? 0 }));
    runner.once(EVENT_RUN_END, () => {
      const rel = (f) => (f ?? '?').replace(process.cwd() + '/', '');
      const out = [`\n  wall time ${((Date.now() - runStart) / 1000).toFixed(1)} s; slowest ${top} files:`];
      for (const [f, ms] of [...files].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${rel(f)}`);
      out.push(`\n  slowest ${top} tests:`);
      for (const t of tests.sort((a, b) => b.ms - a.ms).slice(0, top)) out.push(`  ${(t.ms / 1000).toFixed(1).padStart(7)} s  ${rel(t.file)}: ${t.title}`);
      if (process.env.DURATIONS_JSON) require('node:fs').writeFileSync(process.env.DURATIONS_JSON, JSON.stringify({ files: [...files].map(([f, ms]) => ({ file: rel(f), ms })), tests }, null, 1));
      console.log(out.join('\n'));
    });
  }
}
module.exports = Durations;
