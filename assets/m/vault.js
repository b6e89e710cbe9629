// The tablet's store: IndexedDB, every record encrypted with AES-GCM under a data
// key that exists in memory only while the app is unlocked. On disk the data key
// is wrapped by a key derived from the inspector's offline PIN (PBKDF2-SHA-256).
// Too many wrong PINs delete the database.
//
// Stores: `meta` (plain: the wrapped key, its salt, the count of wrong PINs),
// `rec` (encrypted records by name), `ops` (the outbox: sequence, inspection, kind
// and state in plain, the request encrypted), `chunks` (files, 4 MiB per piece,
// each piece encrypted with its own IV).

const DB_NAME = "anjian-m";
const DB_VERSION = 1;
export const MAX_PIN_TRIES = 5;
export const PBKDF2_ITERATIONS = 600000;
export const CHUNK = 4 << 20;

let db = null;
let key = null;
let meta = null;

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function finished(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("aborted"));
  });
}

export async function open() {
  if (db) return db;
  const request = indexedDB.open(DB_NAME, DB_VERSION);
  request.onupgradeneeded = () => {
    const d = request.result;
    d.createObjectStore("meta", { keyPath: "k" });
    d.createObjectStore("rec", { keyPath: "k" });
    const ops = d.createObjectStore("ops", { keyPath: "seq", autoIncrement: true });
    ops.createIndex("insp", "insp");
    d.createObjectStore("chunks", { keyPath: ["file", "n"] });
  };
  db = await done(request);
  db.onversionchange = () => { db.close(); db = null; };
  meta = (await done(db.transaction("meta").objectStore("meta").get("vault"))) || null;
  return db;
}

function store(name, mode = "readonly") {
  return db.transaction(name, mode).objectStore(name);
}

async function putMeta(m) {
  meta = m;
  await done(store("meta", "readwrite").put(m));
}

export function hasVault() { return meta !== null; }
export function unlocked() { return key !== null; }
export function owner() { return meta ? meta.user_id : null; }
export function triesLeft() { return meta ? MAX_PIN_TRIES - meta.fails : MAX_PIN_TRIES; }

async function kek(pin, salt) {
  const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations: PBKDF2_ITERATIONS },
    base, { name: "AES-GCM", length: 256 }, false, ["wrapKey", "unwrapKey"]);
}

async function unwrap(pin) {
  const wrapping = await kek(pin, meta.salt);
  return crypto.subtle.unwrapKey("raw", meta.wrapped, wrapping, { name: "AES-GCM", iv: meta.iv },
    { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

/** A new vault for `userId`, locked by `pin`; it is unlocked afterwards. */
export async function create(pin, userId) {
  await open();
  const data = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapped = await crypto.subtle.wrapKey("raw", data, await kek(pin, salt), { name: "AES-GCM", iv });
  await putMeta({ k: "vault", salt, iv, wrapped, fails: 0, user_id: userId, created_at: new Date().toISOString() });
  key = await unwrap(pin);
}

/** Unlocks with `pin`: true, or false with one try fewer; the last wrong try wipes everything ("wiped"). */
export async function unlock(pin) {
  await open();
  try {
    key = await unwrap(pin);
    await putMeta({ ...meta, fails: 0 });
    return true;
  } catch (_) {
    const fails = meta.fails + 1;
    if (fails >= MAX_PIN_TRIES) {
      await wipe();
      return "wiped";
    }
    await putMeta({ ...meta, fails });
    return false;
  }
}

export function lock() { key = null; }

/** Deletes every record of the app on this device (the shell stays cached). */
export async function wipe() {
  key = null;
  meta = null;
  if (db) { db.close(); db = null; }
  await done(indexedDB.deleteDatabase(DB_NAME));
}

async function seal(bytes) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, bytes);
  return { iv, ct };
}

async function open_(sealed) {
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, key, sealed.ct));
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function need() {
  if (!key) throw new Error("locked");
}

/** The record `k`, or null. */
export async function load(k) {
  need();
  const row = await done(store("rec").get(k));
  return row ? JSON.parse(dec.decode(await open_(row))) : null;
}

export async function save(k, value) {
  need();
  const sealed = await seal(enc.encode(JSON.stringify(value)));
  await done(store("rec", "readwrite").put({ k, ...sealed }));
}

export async function remove(k) {
  await done(store("rec", "readwrite").delete(k));
}

/** Names of the records starting with `prefix`. */
export async function names(prefix) {
  const all = await done(store("rec").getAllKeys());
  return all.filter((k) => k.startsWith(prefix));
}

// The outbox. An op is { seq, insp, kind, state, ...request }; the request is sealed.
const PLAIN = ["seq", "insp", "kind", "state", "prio"];

export async function putOp(op) {
  need();
  const body = {};
  for (const [k, v] of Object.entries(op)) if (!PLAIN.includes(k)) body[k] = v;
  const sealed = await seal(enc.encode(JSON.stringify(body)));
  const row = { insp: op.insp, kind: op.kind, state: op.state, prio: op.prio, ...sealed };
  if (op.seq !== undefined) row.seq = op.seq;
  return done(store("ops", "readwrite").put(row));
}

export async function ops() {
  need();
  const rows = await done(store("ops").getAll());
  const out = [];
  for (const r of rows) {
    const body = JSON.parse(dec.decode(await open_(r)));
    out.push({ ...body, seq: r.seq, insp: r.insp, kind: r.kind, state: r.state, prio: r.prio });
  }
  return out;
}

/** How many ops are not yet accepted by the server (readable while locked). */
export async function unsentCount() {
  await open();
  const rows = await done(store("ops").getAll());
  return rows.filter((r) => r.state !== "sent").length;
}

export async function putChunk(file, n, bytes) {
  need();
  const sealed = await seal(bytes);
  await done(store("chunks", "readwrite").put({ file, n, ...sealed }));
}

export async function chunk(file, n) {
  need();
  const row = await done(store("chunks").get([file, n]));
  if (!row) throw new Error("文件内容已不在本机");
  return open_(row);
}

/** Frees a file's bytes (after the server's receipt). */
export async function dropChunks(file) {
  const tx = db.transaction("chunks", "readwrite");
  tx.objectStore("chunks").delete(IDBKeyRange.bound([file, 0], [file, Number.MAX_SAFE_INTEGER]));
  await finished(tx);
}

/** The file's bytes as a Blob (for showing a photo or a signature). */
export async function blob(file, chunks, type) {
  const parts = [];
  for (let n = 0; n < chunks; n++) parts.push(await chunk(file, n));
  return new Blob(parts, { type });
}
