// The outbox: every change made on the tablet is an op kept in IndexedDB until the
// server accepts it. A timer sends the waiting ops, oldest first (photos and
// signatures go up with the op that needs them; body-camera recordings last), and
// after a failure to reach the server tries again with a growing wait (2 s up to
// 60 s) — never because the browser says it is online. Each op carries its own
// Idempotency-Key, so a retry after a lost answer is never applied twice. An op the
// server refuses stays in the outbox with the server's reason, for the inspector to
// see and send again; nothing is dropped.

import * as vault from "./vault.js";
import * as api from "./api.js";
import * as record from "./record.js";

export const MIN_WAIT = 2000;
export const MAX_WAIT = 60000;

/** Priorities: record changes first, recordings after them. */
export const RECORD = 1;
export const MEDIA = 2;

class Retry extends Error {}
class Refused extends Error {}
export class SignInNeeded extends Error {}

let timer = null;
let running = false;
let wait = 0;
let inFlight = null;
const listeners = new Set();

/** What the header shows: "idle" | "sending" | "offline" | "signin" | "wiped". */
export const status = { state: "idle", lastContact: null, nextTry: null, progress: {} };

export function onChange(fn) { listeners.add(fn); }
function emit() { for (const fn of listeners) fn(status); }

function schedule(ms) {
  clearTimeout(timer);
  status.nextTry = Date.now() + ms;
  timer = setTimeout(run, ms);
}

/** Sends now (after a change, or when the inspector asks). */
export function kick() { schedule(0); }

export async function add(insp, kind, fields = {}, prio = RECORD) {
  const op = { insp, kind, state: "waiting", prio, key: crypto.randomUUID(), created_at: new Date().toISOString(),
    attempts: 0, ...fields };
  op.seq = await vault.putOp(op);
  kick();
  return op;
}

/** The waiting op of `kind` for `insp` that a change may still join, if any. */
export async function joinable(insp, kind) {
  const all = await vault.ops();
  return all.find((o) => o.insp === insp && o.kind === kind && o.state === "waiting" && o.seq !== inFlight) || null;
}

/** Adds an item's latest outcome to the waiting results op, or starts one. */
export async function mergeResult(insp, code) {
  const op = await joinable(insp, "results");
  if (op) {
    if (!op.codes.includes(code)) op.codes.push(code);
    await vault.putOp(op);
    kick();
  } else {
    await add(insp, "results", { codes: [code] });
  }
}

/** Sends a refused op again. */
export async function retry(seq) {
  const op = (await vault.ops()).find((o) => o.seq === seq);
  if (!op || op.state !== "refused") return;
  op.state = "waiting";
  op.key = crypto.randomUUID();
  await vault.putOp(op);
  kick();
}

async function run() {
  if (running || !vault.unlocked() || status.state === "signin") return;
  running = true;
  try {
    const waiting = (await vault.ops()).filter((o) => o.state === "waiting")
      .sort((a, b) => a.prio - b.prio || a.seq - b.seq);
    if (waiting.length) { status.state = "sending"; emit(); }
    for (const op of waiting) {
      inFlight = op.seq;
      await sendOne(op);
      emit();
    }
    wait = 0;
    status.state = "idle";
    status.nextTry = null;
    if (waiting.length) status.lastContact = Date.now();
  } catch (e) {
    if (e instanceof SignInNeeded) {
      status.state = "signin";
    } else if (e.wiped) {
      status.state = "wiped";
    } else {
      wait = Math.min(MAX_WAIT, Math.max(MIN_WAIT, wait * 2));
      status.state = "offline";
      schedule(wait + Math.floor(Math.random() * 500));
    }
  } finally {
    running = false;
    inFlight = null;
    status.progress = {};
    emit();
  }
}

async function sendOne(op) {
  op.attempts += 1;
  try {
    const note = await deliver(op);
    op.state = "sent";
    op.sent_at = new Date().toISOString();
    op.note = note || null;
    op.reason = null;
  } catch (e) {
    if (!(e instanceof Refused)) {
      op.last_error = e.message;
      await vault.putOp(op);
      throw e;
    }
    op.state = "refused";
    op.reason = e.message;
  }
  await vault.putOp(op);
}

/** Turns an answer into done (the record it carries is kept), or an error to throw. */
async function answer(op, res) {
  if (res.status === 401) {
    const code = api.errorCode(res);
    if (code === "session_revoked") {
      // api.call has already wiped the tablet.
      const e = new Error("revoked");
      e.wiped = true;
      throw e;
    }
    throw new SignInNeeded("登录已过期");
  }
  if (api.retryable(res)) throw new Retry(api.reason(res));
  if (res.status >= 400) throw new Refused(api.reason(res));
  if (res.body && res.body.inspection_id) await record.applyServer(op.insp, res.body);
  return res;
}

function keyed(op) { return { "Idempotency-Key": op.key }; }

async function deliver(op) {
  const base = `/api/v1/inspections/${op.insp}`;
  const w = await record.work(op.insp);
  switch (op.kind) {
    case "start": {
      const res = await api.call("POST", `${base}/start`, { json: w.started, headers: keyed(op) });
      if (res.status === 409 && api.errorCode(res) === "inspection_status") {
        const now = await answer(op, await api.call("GET", `${base}/record`));
        if (now.body.status !== "approved") return "该检查已由其他设备开始";
      }
      await answer(op, res);
      return null;
    }
    case "results": {
      const body = [];
      const sentRevs = {};
      for (const code of op.codes) {
        const e = w.items[code];
        if (!e || !e.outcome) continue;
        const ids = await uploadAll(op, w, (e.fids || []).filter((f) => !w.files[f].linked));
        body.push({ code, outcome: e.outcome, note: e.note || null, base_version: e.base_version, attachment_ids: ids });
        sentRevs[code] = e.rev;
      }
      if (!body.length) return "没有需要发送的结果";
      await answer(op, await api.call("PUT", `${base}/results`, { json: body, headers: keyed(op) }));
      await record.resultsSent(op.insp, sentRevs);
      return null;
    }
    case "finding": case "finding_update": case "finding_delete":
      return deliverFinding(op, w, base);
    case "measure": {
      const m = w.measures.find((x) => x.lid === op.lid);
      await answer(op, await api.call("POST", `${base}/measures`, { json: m.body, headers: keyed(op) }));
      return null;
    }
    case "signature": {
      const s = w.signatures.find((x) => x.lid === op.lid);
      const [attachment] = s.fid ? await uploadAll(op, w, [s.fid]) : [null];
      const body = { ...s.body, attachment_id: attachment };
      await answer(op, await api.call("POST", `${base}/signatures`, { json: body, headers: keyed(op) }));
      return null;
    }
    case "media": {
      const ids = await uploadAll(op, w, op.fids);
      await answer(op, await api.call("POST", `${base}/media`, { json: { attachment_ids: ids }, headers: keyed(op) }));
      return null;
    }
    case "complete":
      await answer(op, await api.call("POST", `${base}/complete`, { json: {}, headers: keyed(op) }));
      return null;
    case "resolve":
      await answer(op, await api.call("POST", `${base}/result-conflicts/${op.conflict_id}/resolve`,
        { json: { resolution: op.resolution }, headers: keyed(op) }));
      return null;
    default:
      throw new Refused(`未知的操作 ${op.kind}`);
  }
}

async function deliverFinding(op, w, base) {
  const f = w.findings.find((x) => x.lid === op.lid);
  if (op.kind === "finding_delete") {
    const res = await api.call("DELETE", `${base}/findings/${f.id}`);
    if (res.status !== 404) await answer(op, res);
    return null;
  }
  if (op.kind === "finding" && f.deleted) return "登记后即删除，未发送";
  const evidence = await uploadAll(op, w, f.evidence || []);
  const body = { ...f.body, evidence_attachment_ids: evidence };
  if (op.kind === "finding_update") {
    await answer(op, await api.call("PATCH", `${base}/findings/${f.id}`, { json: body }));
    return null;
  }
  const before = new Set((await record.packet(op.insp)).record.findings.map((x) => x.id));
  const res = await answer(op, await api.call("POST", `${base}/findings`, { json: body, headers: keyed(op) }));
  const added = res.body.findings.filter((x) => !before.has(x.id));
  const mine = added.find((x) => x.description === body.description) || added[added.length - 1];
  if (mine) await record.findingSent(op.insp, op.lid, mine.id);
  return null;
}

async function uploadAll(op, w, fids) {
  const ids = [];
  for (const fid of fids) ids.push(await upload(op, w, fid));
  return ids;
}

/** Uploads one file in chunks, resuming where the server stopped; its receipt must match the capture hash. */
async function upload(op, w, fid) {
  const f = w.files[fid];
  if (f.receipt) return f.receipt.attachment_id;
  if (!f.upload_id) {
    const meta = { file_name: f.name, size: f.size, sha256: f.sha256, captured_at: f.captured_at,
      device: f.device, original_sha256: f.original_sha256 };
    if (f.latitude !== null && f.latitude !== undefined) Object.assign(meta, { latitude: f.latitude, longitude: f.longitude, accuracy_m: f.accuracy_m });
    else meta.position_unavailable = true;
    const res = await api.call("POST", "/api/v1/uploads", { json: meta, headers: { "Idempotency-Key": f.key } });
    await answer(op, res);
    f.upload_id = res.body.id;
    await record.saveFile(op.insp, f);
    if (res.body.receipt) return received(op, f, res.body.receipt);
  }
  const state = await api.call("GET", `/api/v1/uploads/${f.upload_id}`);
  if (state.status === 404) {
    // Expired on the server (a day without a chunk): start again with a new key.
    f.upload_id = null;
    f.key = crypto.randomUUID();
    await record.saveFile(op.insp, f);
    throw new Retry("上传已过期，重新上传");
  }
  await answer(op, state);
  if (state.body.receipt) return received(op, f, state.body.receipt);
  let at = state.body.received;
  while (at < f.size) {
    const n = Math.floor(at / vault.CHUNK);
    const part = (await vault.chunk(f.fid, n)).subarray(at - n * vault.CHUNK);
    const end = at + part.length - 1;
    const res = await api.call("PUT", `/api/v1/uploads/${f.upload_id}`,
      { bytes: part, headers: { "Content-Range": `bytes ${at}-${end}/${f.size}` }, ms: 120000 });
    if (res.status === 409 && api.errorCode(res) === "offset_mismatch") {
      at = Number(res.headers.get("Upload-Offset"));
      continue;
    }
    if (res.status === 422 && api.errorCode(res) === "hash_mismatch") {
      f.upload_id = null;
      await record.saveFile(op.insp, f);
    }
    await answer(op, res);
    if (res.body.receipt) return received(op, f, res.body.receipt);
    at = res.body.received;
    status.progress[f.fid] = at / f.size;
    emit();
  }
  throw new Retry("上传未完成");
}

async function received(op, f, receipt) {
  if (receipt.sha256 !== f.sha256) {
    throw new Refused(`服务器收到的文件“${f.name}”摘要与拍摄时不一致`);
  }
  f.receipt = receipt;
  // Photos and recordings are freed; a signature stays, so documents print with it offline.
  if (f.kind !== "signature") {
    await vault.dropChunks(f.fid);
    f.freed = true;
  }
  await record.saveFile(op.insp, f);
  return receipt.attachment_id;
}

/** Marks files as linked to their item once the results op carrying them is accepted. */
export function linked(w, fids) {
  for (const fid of fids) if (w.files[fid]) w.files[fid].linked = true;
}
