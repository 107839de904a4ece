// Persistence in IndexedDB: finished runs (store "runs", keyed by id) and
// the last run's models and pictures (store "weights", keyed by which:
// baseline, augmented and vae hold .npz bytes; samples holds the sample
// grids), so that results, the figure, the pictures and the drawing pad
// survive a reload. Every function resolves even when
// IndexedDB is unavailable (private windows): the page then works without
// persistence.
//
// The plan of a grid in progress (its id and cells; see runGrid in app.js)
// is small and kept in localStorage under "vaeaug.grid" until its last cell
// finishes, so that a reload can resume it.

const DB = 'vaeaug';
const VERSION = 1;
let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve) => {
      let req;
      try {
        req = indexedDB.open(DB, VERSION);
      } catch (err) {
        resolve(null);
        return;
      }
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains('runs')) db.createObjectStore('runs', { keyPath: 'id' });
        if (!db.objectStoreNames.contains('weights')) db.createObjectStore('weights', { keyPath: 'which' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
      req.onblocked = () => resolve(null);
    });
  }
  return opening;
}

function tx(store, mode, fn) {
  return open().then((db) => new Promise((resolve) => {
    if (!db) {
      resolve(undefined);
      return;
    }
    let out;
    try {
      const t = db.transaction(store, mode);
      const s = t.objectStore(store);
      const r = fn(s);
      if (r) r.onsuccess = () => { out = r.result; };
      t.oncomplete = () => resolve(out);
      t.onerror = () => resolve(undefined);
      t.onabort = () => resolve(undefined);
    } catch (err) {
      resolve(undefined);
    }
  }));
}

export const available = () => open().then((db) => !!db);
export const loadRuns = () => tx('runs', 'readonly', (s) => s.getAll()).then((r) => r || []);
export const saveRun = (run) => tx('runs', 'readwrite', (s) => s.put(run));
export const deleteRun = (id) => tx('runs', 'readwrite', (s) => s.delete(id));
export const clearRuns = () => tx('runs', 'readwrite', (s) => s.clear());
export const saveWeights = (w) => tx('weights', 'readwrite', (s) => s.put(w));
export const loadWeights = () => tx('weights', 'readonly', (s) => s.getAll()).then((r) => r || []);
export const clearWeights = () => tx('weights', 'readwrite', (s) => s.clear());

const GRID_KEY = 'vaeaug.grid';

// loadGrid returns the saved grid plan, or null (none, unreadable, or no
// localStorage).
export function loadGrid() {
  try {
    const g = JSON.parse(localStorage.getItem(GRID_KEY) || 'null');
    const ok = g && typeof g.id === 'string' && Array.isArray(g.cells) && g.cells.length > 0 &&
      g.cells.every((c) => c && c.config && c.raw && typeof c.label === 'string' && c.grid && c.grid.id === g.id);
    return ok ? g : null;
  } catch (err) {
    return null;
  }
}

export function saveGrid(g) {
  try {
    localStorage.setItem(GRID_KEY, JSON.stringify(g));
  } catch (err) { /* no persistence: the grid still runs */ }
}

export function clearGrid() {
  try {
    localStorage.removeItem(GRID_KEY);
  } catch (err) { /* nothing kept */ }
}
