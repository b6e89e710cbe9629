// An inspection on the tablet: the packet downloaded from the server (its `record`
// replaced by every answer the server gives to a sent op) and the work done on this
// tablet (`work`: outcomes, findings, measures, signatures, files), each kept
// encrypted in the vault. The screens show the server's record with the tablet's
// unsent changes on top; an outcome the server has accepted is shown as the server
// has it, with any conflict the server kept.

import * as vault from "./vault.js";
import * as outbox from "./outbox.js";
import * as api from "./api.js";

const packets = new Map();
const works = new Map();
const saving = new Map();

function emptyWork() {
  return { items: {}, findings: [], measures: [], signatures: [], files: {}, media: [], started: null,
    completing: false, next: 1 };
}

export async function packet(id) {
  if (!packets.has(id)) packets.set(id, await vault.load(`pkt:${id}`));
  return packets.get(id);
}

export async function work(id) {
  if (!works.has(id)) works.set(id, (await vault.load(`work:${id}`)) || emptyWork());
  return works.get(id);
}

/** Writes in the order asked, one at a time per record. */
function persist(name, value) {
  const before = saving.get(name) || Promise.resolve();
  const next = before.then(() => vault.save(name, value));
  saving.set(name, next.catch(() => {}));
  return next;
}

export function saveWork(id) { return persist(`work:${id}`, works.get(id)); }
export function savePacket(id) { return persist(`pkt:${id}`, packets.get(id)); }

/** Forgets what is in memory (on lock). */
export function forget() { packets.clear(); works.clear(); }

export function nextLid(w) { const n = w.next; w.next += 1; return n; }

/** Downloads (or refreshes) the packet of inspection `id`. */
export async function download(id) {
  const res = await api.call("GET", `/api/v1/inspections/${id}/offline`);
  if (res.status !== 200) throw new Error(api.reason(res));
  res.body.downloaded_at = new Date().toISOString();
  packets.set(id, res.body);
  await savePacket(id);
  await work(id);
  await saveWork(id);
  const list = (await vault.load("downloaded")) || [];
  if (!list.includes(id)) list.push(id);
  await vault.save("downloaded", list);
  return res.body;
}

export async function downloaded() {
  return (await vault.load("downloaded")) || [];
}

/** Takes the record the server answered with. */
export async function applyServer(id, rec) {
  const p = await packet(id);
  if (!p) return;
  p.record = rec;
  p.inspection.status = rec.status;
  p.synced_at = new Date().toISOString();
  await savePacket(id);
}

/** The server took these items' outcomes (with their revisions as sent). */
export async function resultsSent(id, revs) {
  const w = await work(id);
  for (const [code, rev] of Object.entries(revs)) {
    const e = w.items[code];
    for (const fid of e.fids || []) if (w.files[fid]) w.files[fid].linked = true;
    if (e.rev === rev) e.synced = true;
  }
  await saveWork(id);
}

export async function findingSent(id, lid, serverId) {
  const w = await work(id);
  const f = w.findings.find((x) => x.lid === lid);
  f.id = serverId;
  await saveWork(id);
}

export async function saveFile(id, f) {
  const w = await work(id);
  w.files[f.fid] = f;
  await saveWork(id);
}

/** The server revoked this tablet's session: everything on it goes. */
export async function revoked() {
  forget();
  await vault.wipe();
}

// ---- Changes made on the tablet -------------------------------------------------

export function serverItem(p, code) { return p.record.items.find((i) => i.code === code); }

/** What the item shows now: the tablet's unsent outcome, else the server's. */
export function shown(p, w, code) {
  const e = w.items[code];
  const s = serverItem(p, code);
  if (e && !e.synced && e.outcome) return { outcome: e.outcome, note: e.note, pending: true };
  return { outcome: s.outcome, note: s.note, pending: false };
}

function entry(p, w, code) {
  const old = w.items[code];
  if (old && !old.synced) return old;
  const s = serverItem(p, code);
  const e = { outcome: s.outcome, note: s.note, fids: old ? old.fids : [], base_version: s.version,
    rev: old ? old.rev : 0, synced: true };
  w.items[code] = e;
  return e;
}

/** Marks an item; the screen is updated by the caller before this is kept. */
export async function mark(id, code, outcome, note) {
  const p = await packet(id);
  const w = await work(id);
  const e = entry(p, w, code);
  e.outcome = outcome;
  if (note !== undefined) e.note = note;
  e.rev += 1;
  e.synced = false;
  await saveWork(id);
  if (e.outcome) await outbox.mergeResult(id, code);
}

export async function addItemFile(id, code, fid) {
  const p = await packet(id);
  const w = await work(id);
  const e = entry(p, w, code);
  e.fids = [...(e.fids || []), fid];
  e.rev += 1;
  e.synced = false;
  await saveWork(id);
  if (e.outcome) await outbox.mergeResult(id, code);
}

export async function start(id, started) {
  const w = await work(id);
  w.started = started;
  await saveWork(id);
  await outbox.add(id, "start");
}

export async function saveFinding(id, lid, body, evidence) {
  const w = await work(id);
  let f = w.findings.find((x) => x.lid === lid);
  if (f) {
    f.body = body;
    f.evidence = evidence;
    await saveWork(id);
    if (f.id) await outbox.add(id, "finding_update", { lid });
    else outbox.kick();
    return f;
  }
  f = { lid: nextLid(w), body, evidence, id: null, deleted: false };
  w.findings.push(f);
  await saveWork(id);
  await outbox.add(id, "finding", { lid: f.lid });
  return f;
}

export async function deleteFinding(id, lid) {
  const w = await work(id);
  const f = w.findings.find((x) => x.lid === lid);
  f.deleted = true;
  await saveWork(id);
  if (f.id) await outbox.add(id, "finding_delete", { lid });
}

export async function addMeasure(id, body) {
  const w = await work(id);
  const m = { lid: nextLid(w), body, at: new Date().toISOString() };
  w.measures.push(m);
  await saveWork(id);
  await outbox.add(id, "measure", { lid: m.lid });
}

export async function addSignature(id, body, fid) {
  const w = await work(id);
  const s = { lid: nextLid(w), body, fid, at: new Date().toISOString() };
  w.signatures.push(s);
  await saveWork(id);
  await outbox.add(id, "signature", { lid: s.lid });
}

export async function addMedia(id, fids) {
  const w = await work(id);
  w.media.push(...fids);
  await saveWork(id);
  await outbox.add(id, "media", { fids }, outbox.MEDIA);
}

export async function complete(id) {
  const w = await work(id);
  w.completing = true;
  await saveWork(id);
  await outbox.add(id, "complete");
}

export async function resolve(id, conflictId, resolution) {
  await outbox.add(id, "resolve", { conflict_id: conflictId, resolution });
}
