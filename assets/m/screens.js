// The screens around the inspections: signing in and setting the offline PIN,
// unlocking, the team's tasks, the outbox, the settings and the print view.

import * as vault from "./vault.js";
import * as api from "./api.js";
import * as outbox from "./outbox.js";
import * as record from "./record.js";
import { documentHtml } from "./print.js";
import { settings, saveSettings, PHOTO_EDGES, LOCK_MINUTES } from "./capture.js";
import { $, $$, esc, label, time, date, bytes, flash, fields, problems } from "./ui.js";

let afterSignIn = () => {};
export function onSignedIn(fn) { afterSignIn = fn; }

const main = () => $("#main");
const SHOWN_SENT = 100;

function signinForm(title, note) {
  return `<section class="card narrow"><h1>${title}</h1>${note ? `<p class="hint">${note}</p>` : ""}
    <form id="signin" class="form" novalidate>
      <label>用户名<input name="username" autocomplete="username" required maxlength="64"></label>
      <label>密码<input name="password" type="password" autocomplete="current-password" required maxlength="256"></label>
      <label>本机名称<input name="device" required maxlength="100" value="${esc(settings().deviceName)}">
        <span class="hint">如“执法平板 3 号”。平板遗失时，管理人员按此名称吊销其登录。</span></label>
      <button class="primary big" type="submit">登录</button>
    </form></section>`;
}

async function login(form) {
  const v = fields(form);
  const missing = [];
  if (!v.username) missing.push(["username", "请输入用户名"]);
  if (!v.password) missing.push(["password", "请输入密码"]);
  if (!v.device) missing.push(["device", "请填写本机名称"]);
  if (!problems(form, missing)) return null;
  let res;
  try {
    res = await api.call("POST", "/api/v1/auth/login", { json: { username: v.username, password: form.elements.password.value, device: v.device } });
  } catch (_) {
    flash("无法连接服务器：登录须在有网络时进行", "error");
    return null;
  }
  if (res.status !== 200) { flash(api.reason(res), "error"); return null; }
  if (!res.body.user.roles.includes("inspector")) { flash("此应用供执法人员使用：该账号没有执法人员角色", "error"); return null; }
  saveSettings({ ...settings(), deviceName: v.device });
  return res.body.user;
}

/** First sign-in on this tablet, then the offline PIN. */
export function signin() {
  main().innerHTML = signinForm("执法人员登录", "首次在本机使用：登录后设置离线 PIN，用于无网络时解锁本机数据。");
  $("#signin").addEventListener("submit", async (e) => {
    e.preventDefault();
    const user = await login(e.target);
    if (user) pinSetup(user);
  });
}

function pinSetup(user) {
  main().innerHTML = `<section class="card narrow"><h1>设置离线 PIN</h1>
    <p class="hint">${esc(user.display_name)}，本机记录以 PIN 加密保存。PIN 至少 6 位数字；连续输错 ${vault.MAX_PIN_TRIES} 次将清除本机数据。</p>
    <form id="pin" class="form" novalidate>
      <label>PIN<input name="pin" type="password" inputmode="numeric" autocomplete="new-password" maxlength="12"></label>
      <label>再次输入<input name="again" type="password" inputmode="numeric" autocomplete="new-password" maxlength="12"></label>
      <button class="primary big" type="submit">保存并进入</button>
    </form></section>`;
  $("#pin").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target;
    const pin = f.elements.pin.value;
    const list = [];
    if (!/^\d{6,12}$/.test(pin)) list.push(["pin", "PIN 须为 6 到 12 位数字"]);
    if (pin !== f.elements.again.value) list.push(["again", "两次输入不一致"]);
    if (!problems(f, list)) return;
    f.querySelector("button").disabled = true;
    await vault.create(pin, user.id);
    await vault.save("session", { user, csrf: user.csrf_token });
    afterSignIn();
  });
}

export function unlock(done) {
  const left = vault.triesLeft();
  main().innerHTML = `<section class="card narrow"><h1>输入离线 PIN 解锁</h1>
    <p id="last-try" class="warn" hidden></p>
    <form id="unlock" class="form" novalidate>
      <label>PIN<input name="pin" type="password" inputmode="numeric" autocomplete="current-password" maxlength="12" autofocus></label>
      <p class="hint">还可尝试 ${left} 次。</p>
      <button class="primary big" type="submit">解锁</button>
    </form></section>`;
  if (left === 1) {
    vault.unsentCount().then((n) => {
      const p = $("#last-try");
      p.textContent = `这是最后一次机会：再输错将清除本机全部数据${n ? `，其中 ${n} 项尚未发送到服务器的记录将丢失` : ""}。`;
      p.hidden = false;
    });
  }
  $("#unlock").addEventListener("submit", async (e) => {
    e.preventDefault();
    const ok = await vault.unlock(e.target.elements.pin.value);
    if (ok === true) return done();
    if (ok === "wiped") { flash("PIN 连续输错，本机数据已清除，请重新登录", "error"); return signin(); }
    flash("PIN 不正确", "error");
    unlock(done);
  });
}

/** The session ended while the tablet was away: sign in again, keeping the data. */
export function signinAgain(done) {
  main().innerHTML = signinForm("重新登录", "登录已过期。本机尚未发送的记录都还在，重新登录后继续同步。");
  $("#signin").addEventListener("submit", async (e) => {
    e.preventDefault();
    const user = await login(e.target);
    if (!user) return;
    if (user.id !== vault.owner()) { flash("本机数据属于另一名执法人员，请用该账号登录", "error"); return; }
    await vault.save("session", { user, csrf: user.csrf_token });
    outbox.status.state = "idle";
    location.hash = "#/";
    done();
  });
}

function card(p, id, online) {
  const i = p ? p.inspection : online;
  const e = p ? p.enterprise : { name: online.enterprise_name };
  const action = p
    ? `<a class="button primary" href="#/i/${id}">打开</a><button class="button" data-download="${id}">更新</button>`
    : `<button class="button primary" data-download="${id}">下载离线使用</button>`;
  const kept = p ? `<p class="hint">已下载 ${esc(time(p.downloaded_at))}，离线可用至 ${esc(time(p.keep_until))}</p>` : "";
  return `<li class="task" data-id="${id}"><div><h2>${esc(e.name)}</h2>
    <p>${label("kind", i.kind)} · 计划 ${esc(date(i.planned_date))} · ${label("status", i.status)}${p && p.enterprise.address ? ` · ${esc(p.enterprise.address)}` : ""}</p>${kept}</div>
    <div class="actions">${action}</div></li>`;
}

async function fetchTasks() {
  const out = [];
  for (const status of ["approved", "in_progress"]) {
    const res = await api.call("GET", `/api/v1/inspections?mine=true&status=${status}&per_page=100`, { ms: 15000 });
    if (res.status === 200) out.push(...res.body.items);
  }
  return out;
}

export async function list() {
  const ids = await record.downloaded();
  const packets = [];
  for (const id of ids) packets.push([id, await record.packet(id)]);
  main().innerHTML = `<section><h1>我的检查任务</h1><p id="tasks-note" class="hint">正在向服务器查询本组已审批的检查…</p>
    <ul class="tasks" id="tasks">${packets.map(([id, p]) => card(p, id)).join("")}</ul></section>`;
  main().onclick = onDownload;
  let online = [];
  try {
    online = await fetchTasks();
    $("#tasks-note").textContent = online.length ? "下载后可在无网络处使用。" : "本组暂无已审批待检查的任务。";
  } catch (_) {
    $("#tasks-note").textContent = "当前无法连接服务器：显示已下载的任务。";
    return;
  }
  const more = online.filter((o) => !ids.includes(o.id)).map((o) => card(null, o.id, o));
  $("#tasks").insertAdjacentHTML("beforeend", more.join(""));
}

async function onDownload(e) {
  const b = e.target.closest("[data-download]");
  if (!b) return;
  b.disabled = true;
  b.textContent = "正在下载…";
  try {
    await record.download(Number(b.dataset.download));
    flash("已下载，可离线使用");
    list();
  } catch (err) {
    flash(err instanceof api.Offline ? "无法连接服务器，请到有网络处下载" : err.message, "error");
    b.disabled = false;
    b.textContent = "重新下载";
  }
}

function fileRow(f) {
  const p = outbox.status.progress[f.fid];
  const state = f.receipt ? `已收到 · 回执摘要 ${esc(f.receipt.sha256.slice(0, 12))}… 与拍摄时一致`
    : p !== undefined ? `上传中 ${Math.floor(p * 100)}%` : "等待上传";
  return `<li class="file ${f.receipt ? "done" : ""}"><span>${esc(f.name)}（${bytes(f.size)}）</span><span>${state}</span></li>`;
}

export async function outboxScreen() {
  const rank = { refused: 0, waiting: 1, sent: 2 };
  const all = (await vault.ops()).sort((a, b) => rank[a.state] - rank[b.state] || b.seq - a.seq);
  // What waits or was refused is always shown; of what arrived, the latest SHOWN_SENT.
  const ops = [...all.filter((o) => o.state !== "sent"), ...all.filter((o) => o.state === "sent").slice(0, SHOWN_SENT)];
  const names = {};
  const files = [];
  for (const id of await record.downloaded()) {
    const p = await record.packet(id);
    names[id] = p ? p.enterprise.name : `检查 ${id}`;
    files.push(...Object.values((await record.work(id)).files));
  }
  const row = (o) => `<li class="op op-${o.state}"><div><strong>${label("op", o.kind)}</strong> · ${esc(names[o.insp] || "")}
      <p class="hint">${esc(time(o.created_at))} 记录 · ${label("opState", o.state)}${o.sent_at ? ` ${esc(time(o.sent_at))}` : ""}${o.note ? ` · ${esc(o.note)}` : ""}</p>
      ${o.reason ? `<p class="warn">退回原因：${esc(o.reason)}</p>` : ""}
      ${o.state === "waiting" && o.last_error ? `<p class="hint">上次尝试：${esc(o.last_error)}</p>` : ""}</div>
      ${o.state === "refused" ? `<button class="button" data-retry="${o.seq}">重新发送</button>` : ""}</li>`;
  const est = navigator.storage && navigator.storage.estimate ? await navigator.storage.estimate() : null;
  const use = est ? `本机已用 ${bytes(est.usage || 0)}，可用上限约 ${bytes(est.quota || 0)}` : "";
  const near = est && est.quota && est.usage / est.quota > 0.8;
  main().innerHTML = `<section><h1>发送箱</h1>
    <p class="hint">有网络时自动发送；每项只送达一次。被退回的记录保留在本机，修改后可重新发送。</p>
    <p class="${near ? "warn" : "hint"}" id="storage">${use}${near ? "：存储空间即将用尽，请尽快到有网络处同步，已上传的照片和音视频会自动释放。" : ""}</p>
    <button class="button primary" id="sync-now" type="button">立即同步</button>
    <h2>记录</h2><ul class="ops">${ops.map(row).join("") || "<li class=\"hint\">没有记录。</li>"}</ul>
    <h2>文件</h2><ul class="files">${files.map(fileRow).join("") || "<li class=\"hint\">没有文件。</li>"}</ul></section>`;
  $("#sync-now").addEventListener("click", () => { outbox.kick(); flash("正在同步"); });
  for (const b of $$("[data-retry]")) b.addEventListener("click", async () => { await outbox.retry(Number(b.dataset.retry)); outboxScreen(); });
}

/** Redraws the outbox when it is on screen. */
export function refreshOutbox() {
  if (location.hash === "#/outbox" && vault.unlocked()) outboxScreen();
}

export function settingsScreen() {
  const s = settings();
  const opt = (list, v, fmt) => list.map((x) => `<option value="${x}" ${x === v ? "selected" : ""}>${fmt(x)}</option>`).join("");
  main().innerHTML = `<section class="card narrow"><h1>设置</h1><form id="settings" class="form">
    <label>照片最长边<select name="photoEdge">${opt(PHOTO_EDGES, s.photoEdge, (x) => (x ? `${x} 像素` : "不缩小（原图）"))}</select></label>
    <label>无操作自动锁定<select name="lockMinutes">${opt(LOCK_MINUTES, s.lockMinutes, (x) => `${x} 分钟`)}</select></label>
    <label>本机名称<input name="deviceName" maxlength="100" value="${esc(s.deviceName)}">
      <span class="hint">下次登录时生效，显示在“登录设备”中。</span></label>
    <button class="primary big" type="submit">保存</button></form>
    <h2>清除本机数据</h2><p class="hint">交还平板前使用。尚未发送的记录会一并清除。</p>
    <button class="button danger" id="wipe" type="button">清除本机数据并退出</button></section>`;
  $("#settings").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target.elements;
    saveSettings({ photoEdge: Number(f.photoEdge.value), lockMinutes: Number(f.lockMinutes.value),
      deviceName: f.deviceName.value.trim() });
    flash("已保存");
  });
  $("#wipe").addEventListener("click", async () => {
    const n = await vault.unsentCount();
    const text = n ? `还有 ${n} 项记录未发送到服务器，清除后将丢失。确定清除？` : "确定清除本机全部数据？";
    if (!window.confirm(text)) return;
    try { await api.call("POST", "/api/v1/auth/logout", { ms: 5000 }); } catch (_) { /* offline: the session expires */ }
    record.forget();
    await vault.wipe();
    location.hash = "#/";
    location.reload();
  });
}

export async function print(id, type) {
  const p = await record.packet(id);
  const html = p && (await documentHtml(p, await record.work(id), type));
  main().innerHTML = `<nav class="no-print crumbs"><a href="#/i/${id}/documents">← 返回文书</a>
    <button class="button primary" id="print" type="button">打印</button></nav>${html || "<p class=\"warn\">该文书没有预留文号，不能在平板上出具。</p>"}`;
  $("#print").addEventListener("click", () => window.print());
}
