// The page's side of the worker protocol (wasm/PROTOCOL.md): starts the
// worker, numbers requests, resolves replies, forwards events, watches the
// worker's health and restarts it on demand.

// The trainer's wasm, compiled once in the page for all its workers: each
// worker compiling its own copy of this 24 MB module competed for the two
// cores with the others and took about twice as long to be ready. A
// WebAssembly.Module posted to a worker shares its compiled code.
const TRAINER_WASM = new URL('gen/vaeaug.wasm', import.meta.url);
let compiling = null;

// compileTrainer starts the compile (once) and resolves with the module, or
// with null when it cannot be compiled here (the worker then fetches and
// compiles it itself, and reports why it cannot); a failure is not kept, so
// a restart tries again.
export function compileTrainer() {
  if (!compiling) {
    compiling = (async () => {
      try {
        return await WebAssembly.compileStreaming(fetch(TRAINER_WASM));
      } catch (err) {
        // A server without application/wasm: compile from an ArrayBuffer.
        const resp = await fetch(TRAINER_WASM);
        if (!resp.ok) throw new Error('HTTP ' + resp.status);
        return await WebAssembly.compile(await resp.arrayBuffer());
      }
    })().catch(() => {
      compiling = null;
      return null;
    });
  }
  return compiling;
}

export class Trainer {
  // onEvent(msg) receives every event; onDead(reason) is called once when
  // the worker crashes or stops answering.
  constructor(onEvent, onDead) {
    this.onEvent = onEvent;
    this.onDead = onDead;
    this.nextId = 1;
    this.pending = new Map(); // id → {resolve, reject, type}
    this.worker = null;
    this.ready = false;
    this.dead = false;
    this.busy = false; // a run is in progress: long silences are normal
    this.heartbeat = null;
  }

  start() {
    this.stopHeartbeat();
    if (this.worker) this.worker.terminate();
    this.dead = false;
    this.ready = false;
    this.busy = false;
    this.bootAt = performance.now();
    this.lastHeard = performance.now();
    this.pingSent = 0;
    const w = new Worker('worker.js');
    this.worker = w;
    compileTrainer().then((module) => {
      if (this.worker === w) w.postMessage({ type: 'module', module });
    });
    w.onmessage = (e) => this.receive(w, e.data);
    w.onerror = (e) => {
      e.preventDefault();
      this.die(w, 'the trainer crashed: ' + (e.message || 'an unknown error') + '.');
    };
    w.onmessageerror = () => this.die(w, 'a message from the trainer could not be read.');
    this.heartbeat = setInterval(() => this.checkHealth(), 2000);
  }

  stopHeartbeat() {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  // terminate ends the worker for good (no death report).
  terminate() {
    this.stopHeartbeat();
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.ready = false;
    this.failPending('the trainer was restarted');
  }

  failPending(reason) {
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
  }

  die(w, reason) {
    if (w !== this.worker || this.dead) return;
    this.dead = true;
    this.stopHeartbeat();
    this.failPending(reason);
    try {
      w.terminate();
    } catch (err) { /* already gone */ }
    this.worker = null;
    this.onDead(reason);
  }

  checkHealth() {
    if (!this.worker || this.dead) return;
    const now = performance.now();
    const silent = (now - this.lastHeard) / 1000;
    // A run posts progress at least every few seconds, but one evaluation
    // pass of the core does not yield: allow it several minutes. Idle, the
    // worker answers pings at once.
    const limit = this.busy ? 600 : (this.ready ? 30 : 90);
    if (silent > limit) {
      this.die(this.worker, `the trainer has not answered for ${Math.round(silent)} s.`);
      return;
    }
    if (this.ready && !this.busy && now - this.pingSent > 5000) {
      this.pingSent = now;
      this.worker.postMessage({ id: 0, type: 'ping' });
    }
  }

  // send posts a request and returns its id.
  send(type, fields = {}, transfer = []) {
    const id = this.nextId++;
    if (this.worker && !this.dead) this.worker.postMessage({ ...fields, id, type }, transfer);
    return id;
  }

  // request posts a request and resolves with its reply event (or rejects
  // with the worker's error message).
  request(type, fields = {}, transfer = []) {
    if (!this.worker || this.dead) return Promise.reject(new Error('the trainer is not running'));
    return new Promise((resolve, reject) => {
      const id = this.send(type, fields, transfer);
      this.pending.set(id, { resolve, reject, type });
    });
  }

  receive(w, msg) {
    if (w !== this.worker) return;
    this.lastHeard = performance.now();
    if (msg.type === 'ready') {
      this.ready = true;
      // Whether the SIMD128 kernels loaded (wasm/PROTOCOL.md): without
      // them the same numbers come about nine times slower.
      this.simd = msg.simd === true;
    }
    if (msg.type === 'fatal') {
      this.die(w, msg.message + (msg.detail ? '\n' + msg.detail : ''));
      return;
    }
    if (msg.id && this.pending.has(msg.id)) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.type === 'error') p.reject(new Error(msg.message));
      else p.resolve(msg);
      return;
    }
    if (msg.type === 'pong') return;
    this.onEvent(msg);
  }
}
