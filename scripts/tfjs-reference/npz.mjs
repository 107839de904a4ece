// Minimal reader for NumPy .npz archives (a zip of .npy files), with no
// dependency beyond Node's standard library. It reads the zip's central
// directory (so entries written with data descriptors, as Go's archive/zip
// does, and zip64 extra fields, as numpy.savez writes, both work), inflates
// deflated entries with zlib.inflateRawSync, and parses .npy format 1.0, 2.0
// and 3.0 headers.

import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const EOCD_SIG = 0x06054b50;
const ZIP64_EOCD_LOC_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;

function fail(path, msg) {
  throw new Error(`${path}: ${msg}`);
}

// findEOCD returns the offset of the end-of-central-directory record,
// searching back over a possible trailing comment (at most 65535 bytes).
function findEOCD(buf, path) {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) return i;
  }
  fail(path, 'not a zip archive (no end-of-central-directory record)');
}

function readU64(buf, off) {
  const v = buf.readBigUInt64LE(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('zip64 value too large');
  return Number(v);
}

// readZip returns the archive's entries in central-directory order as
// {name, data: Buffer}.
export function readZip(buf, path = 'zip') {
  const eocd = findEOCD(buf, path);
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== ZIP64_EOCD_LOC_SIG) fail(path, 'zip64 locator missing');
    const z = readU64(buf, loc + 8);
    if (buf.readUInt32LE(z) !== ZIP64_EOCD_SIG) fail(path, 'bad zip64 end record');
    count = readU64(buf, z + 32);
    cdOffset = readU64(buf, z + 48);
  }
  const entries = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== CDH_SIG) fail(path, `bad central directory header ${i}`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let csize = buf.readUInt32LE(p + 20);
    let usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    // zip64 extended information: present fields in the order usize,
    // csize, local offset, each only if its 32-bit field is all ones.
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (usize === 0xffffffff) { usize = readU64(buf, q); q += 8; }
        if (csize === 0xffffffff) { csize = readU64(buf, q); q += 8; }
        if (local === 0xffffffff) { local = readU64(buf, q); q += 8; }
      }
      e += 4 + len;
    }
    if (flags & 1) fail(path, `${name}: encrypted entries are not supported`);
    if (buf.readUInt32LE(local) !== LFH_SIG) fail(path, `${name}: bad local header`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    let data;
    if (method === 0) data = raw;
    else if (method === 8) data = inflateRawSync(raw);
    else fail(path, `${name}: compression method ${method} not supported`);
    if (data.length !== usize) fail(path, `${name}: size ${data.length}, header says ${usize}`);
    entries.push({ name, data });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const DTYPES = {
  '<f4': [Float32Array, 4, 'float32'],
  '<f8': [Float64Array, 8, 'float64'],
  '<i4': [Int32Array, 4, 'int32'],
  '<i8': [BigInt64Array, 8, 'int64'],
  '|u1': [Uint8Array, 1, 'uint8'],
  '<u1': [Uint8Array, 1, 'uint8'],
  '|i1': [Int8Array, 1, 'int8'],
};

// parseNpy parses one .npy file into {dtype, shape, data (a typed array)}.
export function parseNpy(buf, name = 'npy') {
  if (buf.length < 10 || buf[0] !== 0x93 || buf.toString('latin1', 1, 6) !== 'NUMPY') {
    fail(name, 'not a .npy file (bad magic)');
  }
  const major = buf[6];
  let headerLen;
  let off;
  if (major === 1) { headerLen = buf.readUInt16LE(8); off = 10; }
  else if (major === 2 || major === 3) { headerLen = buf.readUInt32LE(8); off = 12; }
  else fail(name, `.npy version ${major}.${buf[7]} not supported`);
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', off, off + headerLen);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeM = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeM) fail(name, `cannot parse .npy header ${JSON.stringify(header)}`);
  if (fortran[1] === 'True') fail(name, 'fortran_order arrays are not supported');
  const shape = shapeM[1].split(',').map(s => s.trim()).filter(s => s !== '').map(s => {
    const v = Number(s.replace(/L$/, ''));
    if (!Number.isInteger(v) || v < 0) fail(name, `bad shape ${shapeM[1]}`);
    return v;
  });
  const dt = DTYPES[descr[1]];
  if (!dt) fail(name, `dtype ${descr[1]} not supported`);
  const [Ctor, size, dtype] = dt;
  const n = shape.reduce((a, b) => a * b, 1);
  const start = off + headerLen;
  if (buf.length - start !== n * size) {
    fail(name, `data is ${buf.length - start} bytes, shape ${JSON.stringify(shape)} of ${descr[1]} needs ${n * size}`);
  }
  // Copy into a fresh, aligned buffer (the payload's offset need not be a
  // multiple of the element size).
  const bytes = new Uint8Array(n * size);
  bytes.set(buf.subarray(start, start + n * size));
  return { dtype, shape, data: new Ctor(bytes.buffer) };
}

// readNpz reads a .npz file and returns its arrays in archive order as
// [{key, dtype, shape, data}], key being the entry name without ".npy".
export function readNpz(path) {
  const buf = readFileSync(path);
  return readZip(buf, path).map(({ name, data }) => {
    const key = name.endsWith('.npy') ? name.slice(0, -4) : name;
    return { key, ...parseNpy(data, `${path}:${name}`) };
  });
}
