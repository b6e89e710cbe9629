// Requests to the server. The session is the HttpOnly cookie set at sign-in; the
// CSRF token comes with the user and is sent on every write. A request that gets no
// answer (no network, the server down, a timeout) throws `Offline`; an answer of
// any status is returned as it is.

export class Offline extends Error {}

let csrf = "";
export function setCsrf(token) { csrf = token || ""; }

// What to do when the server says this tablet's session was revoked (a lost
// tablet): the app wipes its data. Every answer is checked, whatever asked.
let revokedHandler = async () => {};
export function onRevoked(fn) { revokedHandler = fn; }

/** Waits at most `ms` for the answer. */
export async function call(method, path, { json, bytes, headers = {}, ms = 30000 } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const init = { method, headers: { ...headers }, credentials: "same-origin", signal: controller.signal, cache: "no-store" };
  if (method !== "GET") init.headers["X-CSRF-Token"] = csrf;
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (bytes !== undefined) {
    init.headers["Content-Type"] = "application/octet-stream";
    init.body = bytes;
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (_) {
    throw new Offline("无法连接服务器");
  } finally {
    clearTimeout(timer);
  }
  let body = null;
  try {
    const text = await res.text();
    body = text ? JSON.parse(text) : null;
  } catch (_) {
    // A proxy's or a gateway's page: not the server's answer.
    if (res.status >= 500 || res.status === 0) throw new Offline("服务器暂不可用");
  }
  const out = { status: res.status, body, headers: res.headers };
  if (res.status === 401 && errorCode(out) === "session_revoked") await revokedHandler();
  return out;
}

/** The server's message for a refused request, every field problem included. */
export function reason(res) {
  const b = (res.body && res.body.error) || {};
  const fields = b.fields ? Object.values(b.fields).flat() : [];
  const parts = [b.message || `服务器答复 ${res.status}`, ...fields];
  return parts.join("；");
}

/** Whether the answer means "try again later" rather than "no". */
export function retryable(res) {
  const code = errorCode(res);
  return res.status >= 500 || res.status === 429 || res.status === 408
    || code === "idempotency_key_in_progress" || code === "upload_busy";
}

/** The server's stable error code, if any. */
export function errorCode(res) {
  return res.body && res.body.error ? res.body.error.code : null;
}
