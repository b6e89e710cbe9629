// The tablet app: starts the service worker, opens the vault, routes between the
// screens (`#/…`), locks after inactivity and shows how the outbox stands.

import * as vault from "./vault.js";
import * as api from "./api.js";
import * as outbox from "./outbox.js";
import * as record from "./record.js";
import * as screens from "./screens.js";
import * as inspect from "./inspect.js";
import { settings } from "./capture.js";
import { $, time, flash } from "./ui.js";

let lastActivity = Date.now();

async function route() {
  await vault.open();
  $("#nav").hidden = !vault.unlocked();
  if (!vault.hasVault()) return screens.signin();
  if (!vault.unlocked()) return screens.unlock(unlocked);
  if (outbox.status.state === "signin" && location.hash !== "#/signin") return screens.signinAgain(unlocked);
  const parts = location.hash.replace(/^#\/?/, "").split("/");
  const id = Number(parts[1]);
  switch (parts[0]) {
    case "i": return inspect.show(id, parts[2] || "overview", parts[3]);
    case "print": return screens.print(id, parts[2]);
    case "outbox": return screens.outboxScreen();
    case "settings": return screens.settingsScreen();
    case "signin": return screens.signinAgain(unlocked);
    default: return screens.list();
  }
}

/** After the PIN (or a first sign-in): the session's CSRF token, then sync. */
async function unlocked() {
  const session = await vault.load("session");
  api.setCsrf(session ? session.csrf : "");
  lastActivity = Date.now();
  outbox.kick();
  await route();
}

function lockNow() {
  vault.lock();
  record.forget();
  route();
}

function showSync(s) {
  const el = $("#sync");
  const text = { idle: s.lastContact ? `已同步 ${time(new Date(s.lastContact).toISOString())}` : "",
    sending: "正在同步…", offline: "离线：稍后自动重试", signin: "登录已过期，请重新登录后同步",
    wiped: "本机数据已按要求清除" }[s.state];
  el.textContent = text || "";
  el.className = `sync sync-${s.state}`;
  if (s.state === "signin" || s.state === "wiped") route();
  screens.refreshOutbox();
  vault.unsentCount().then((n) => {
    $("#outbox-link").textContent = n ? `发送箱（${n}）` : "发送箱";
  }).catch(() => {});
}

/** A regulator revoked this tablet's session (lost or stolen): wipe, then sign in. */
async function revoked() {
  await record.revoked();
  location.hash = "#/";
  await route();
  flash("此设备的登录已被吊销，本机数据已清除。如平板已找回，请重新登录。", "error");
}

/** The first contact after the app opens, before any PIN: a revoked tablet is wiped at once. */
async function contact() {
  if (!vault.hasVault()) return;
  try { await api.call("GET", "/api/v1/auth/me", { ms: 10000 }); } catch (_) { /* offline: later */ }
}

function boot() {
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/m/sw.js", { scope: "/m/" }).catch(() => {});
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  window.addEventListener("hashchange", route);
  for (const ev of ["pointerdown", "keydown"]) window.addEventListener(ev, () => { lastActivity = Date.now(); }, true);
  setInterval(() => {
    if (vault.unlocked() && Date.now() - lastActivity > settings().lockMinutes * 60000) lockNow();
  }, 10000);
  $("#lock").addEventListener("click", lockNow);
  outbox.onChange(showSync);
  screens.onSignedIn(unlocked);
  api.onRevoked(revoked);
  route().then(contact);
}

boot();
