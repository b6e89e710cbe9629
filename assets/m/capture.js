// What the tablet captures: photos (resized on the device to the longest edge set
// in 设置, the original's SHA-256 kept beside the resized file's), recordings from a
// body camera or the tablet (hashed while they are read into the vault, 4 MiB at a
// time, never held whole in memory), signatures drawn on the screen, and the
// device's position.

import * as vault from "./vault.js";
import * as record from "./record.js";
import { hashBlob } from "./sha256.js";

export const PHOTO_EDGES = [1280, 1600, 2048, 0];
export const LOCK_MINUTES = [2, 5, 10, 30];

export function settings() {
  return {
    photoEdge: Number(localStorage.getItem("anjian.photoEdge") ?? 1600),
    lockMinutes: Number(localStorage.getItem("anjian.lockMinutes") ?? 5),
    deviceName: localStorage.getItem("anjian.deviceName") || "执法平板",
  };
}

export function saveSettings(s) {
  localStorage.setItem("anjian.photoEdge", String(s.photoEdge));
  localStorage.setItem("anjian.lockMinutes", String(s.lockMinutes));
  if (s.deviceName) localStorage.setItem("anjian.deviceName", s.deviceName.slice(0, 100));
}

let last = null;

/** The device's position (at most `ms` to find it), or null: "position unavailable". */
export function position(ms = 8000) {
  if (last && Date.now() - last.at < 120000) return Promise.resolve(last.pos);
  if (!navigator.geolocation) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms + 500);
    navigator.geolocation.getCurrentPosition((p) => {
      clearTimeout(timer);
      const pos = { latitude: p.coords.latitude, longitude: p.coords.longitude,
        accuracy_m: Math.min(100000, Math.round(p.coords.accuracy || 0)) };
      last = { at: Date.now(), pos };
      resolve(pos);
    }, () => { clearTimeout(timer); resolve(null); }, { enableHighAccuracy: true, timeout: ms, maximumAge: 60000 });
  });
}

/** Keeps `blob` in the vault as file of inspection `insp`, hashed on the way in. */
async function keep(insp, blob, meta) {
  const fid = `${insp}-${crypto.randomUUID()}`;
  let chunks = 0;
  const sha256 = await hashBlob(blob, vault.CHUNK, async (bytes, n) => {
    await vault.putChunk(fid, n, bytes);
    chunks = n + 1;
  });
  const pos = await position(3000);
  const f = { fid, key: crypto.randomUUID(), type: blob.type, size: blob.size, sha256, chunks,
    captured_at: new Date().toISOString(), device: settings().deviceName, latitude: pos ? pos.latitude : null,
    longitude: pos ? pos.longitude : null, accuracy_m: pos ? pos.accuracy_m : null,
    upload_id: null, receipt: null, linked: false, freed: false, ...meta };
  await record.saveFile(insp, f);
  return f;
}

async function resize(file, edge) {
  const bitmap = await createImageBitmap(file);
  const scale = edge > 0 ? Math.min(1, edge / Math.max(bitmap.width, bitmap.height)) : 1;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("照片无法处理"))),
    "image/jpeg", 0.85));
}

/** A photo from the camera or the gallery, resized; the original's hash is kept. */
export async function photo(insp, file) {
  const original = await hashBlob(file, vault.CHUNK);
  const resized = await resize(file, settings().photoEdge);
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return keep(insp, resized, { kind: "photo", name: `照片-${stamp}.jpg`, original_sha256: original,
    original_size: file.size });
}

/** A recording (audio or video) as it is. */
export function recording(insp, file) {
  const kind = file.type.startsWith("audio") ? "audio" : "video";
  return keep(insp, file, { kind, name: file.name.slice(-200) || `${kind}.mp4` });
}

/** A signature pad on `canvas`: drawn with a finger, a glove or a stylus. */
export function pad(canvas) {
  const ctx = canvas.getContext("2d");
  let drawing = false;
  let strokes = 0;
  const ratio = window.devicePixelRatio || 1;
  const size = () => {
    const r = canvas.getBoundingClientRect();
    canvas.width = Math.round(r.width * ratio);
    canvas.height = Math.round(r.height * ratio);
    ctx.scale(ratio, ratio);
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    ctx.strokeStyle = "#000";
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, r.width, r.height);
  };
  size();
  const at = (e) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
  canvas.addEventListener("pointerdown", (e) => {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    ctx.beginPath();
    ctx.moveTo(...at(e));
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!drawing) return;
    ctx.lineTo(...at(e));
    ctx.stroke();
  });
  const end = () => { if (drawing) strokes += 1; drawing = false; };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  return {
    empty: () => strokes === 0,
    clear: () => { strokes = 0; ctx.setTransform(1, 0, 0, 1, 0, 0); size(); },
    blob: () => new Promise((resolve) => canvas.toBlob(resolve, "image/png")),
  };
}

/** Keeps a drawn signature as a file of the inspection. */
export function signature(insp, blob, who) {
  return keep(insp, blob, { kind: "signature", name: `签名-${who}.png` });
}

/** A file's bytes for showing it, while they are still on the tablet. */
export async function url(f) {
  if (f.freed) return null;
  return URL.createObjectURL(await vault.blob(f.fid, f.chunks, f.type));
}
