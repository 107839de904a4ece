// Runs one Go test binary in a fresh worker: window.runBench(binary, args,
// simd) resolves with the lines it printed and its exit code.
'use strict';
window.runBench = (binary, args, simd) => new Promise((resolve) => {
  const w = new Worker('bench-worker.js');
  const lines = [];
  w.onmessage = (e) => {
    if ('line' in e.data) lines.push(e.data.line);
    if ('exit' in e.data) { w.terminate(); resolve({ lines, code: e.data.exit }); }
  };
  w.onerror = (e) => { w.terminate(); resolve({ lines: [...lines, 'worker error: ' + e.message], code: 1 }); };
  w.postMessage({ binary, args, simd });
});
