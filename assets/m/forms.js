// The record's forms on the tablet: findings (from a 不符合 item or free text, with
// a deadline or rectified on the spot with photos), on-site measures, signatures
// (drawn, or the 负责人's refusal before a witness), body-camera recordings, and
// completion. Every form keeps what was typed when it is refused and lists every
// problem at once; the server has the last word when the change is sent.

import * as record from "./record.js";
import * as capture from "./capture.js";
import { findings } from "./print.js";
import { can, begun, show } from "./inspect.js";
import { $, $$, esc, label, time, date, bytes, flash, fields, problems } from "./ui.js";

function closed(p) { return !can(p, "record") || p.record.status === "completed"; }

function findingForm(p, f, code) {
  const body = f ? f.body : {};
  const item = p.record.items.find((i) => i.code === (body.item_code || code));
  const opts = p.record.items.map((i) => `<option value="${esc(i.code)}" ${item && item.code === i.code ? "selected" : ""}>${esc(i.code)} ${esc(i.text.slice(0, 40))}</option>`).join("");
  const severity = body.severity || (item ? item.severity : "general");
  const mode = body.rectified_on_spot ? "spot" : body.deadline ? "date" : "days";
  return `<form id="finding" class="form card" novalidate><h2>${f ? "修改问题" : "登记问题"}</h2>
    <label>检查项<select name="item_code"><option value="">（不属于检查表的问题）</option>${opts}</select></label>
    <label>问题（不属于检查表时填写）<input name="text" maxlength="200" value="${esc(body.text || "")}"></label>
    <label>隐患级别<select name="severity"><option value="general" ${severity === "general" ? "selected" : ""}>一般事故隐患</option>
      <option value="major" ${severity === "major" ? "selected" : ""}>重大事故隐患</option></select></label>
    <label>问题描述<textarea name="description" rows="3" maxlength="5000">${esc(body.description || "")}</textarea></label>
    <label>部位<input name="location" maxlength="500" value="${esc(body.location || "")}"></label>
    <label>依据（不属于检查表时填写）<textarea name="basis" rows="2" maxlength="5000">${esc(body.basis || "")}</textarea></label>
    ${item && !item.verified ? `<label class="check"><input type="checkbox" name="basis_confirmed" ${body.basis_confirmed ? "checked" : ""}>已核对该项依据，可打印在文书上</label>` : ""}
    <fieldset><legend>整改要求</legend>
      <label class="check"><input type="radio" name="mode" value="days" ${mode === "days" ? "checked" : ""}>自送达之日起
        <input name="days" type="number" min="1" max="365" value="${esc(body.deadline_working_days || 10)}" class="short"> 个工作日内</label>
      <label class="check"><input type="radio" name="mode" value="date" ${mode === "date" ? "checked" : ""}>限于
        <input name="deadline" type="date" value="${esc(body.deadline || "")}"> 前</label>
      <label class="check"><input type="radio" name="mode" value="spot" ${mode === "spot" ? "checked" : ""}>已当场整改（须拍照）</label>
      <label class="button photo">拍摄整改照片<input type="file" accept="image/*" capture="environment" name="evidence" multiple hidden></label>
      <span id="evidence-count" class="hint">${f && f.evidence.length ? `已拍 ${f.evidence.length} 张` : ""}</span>
    </fieldset>
    <button class="primary big" type="submit">保存</button> <a class="button" href="#/i/${p.inspection.id}/findings">取消</a></form>`;
}

function checkFinding(p, v, evidence) {
  const list = [];
  if (!v.item_code && !v.text) list.push(["text", "请选择检查项或填写问题"]);
  if (!v.description) list.push(["description", "请填写问题描述"]);
  if (!v.item_code && !v.basis) list.push(["basis", "不属于检查表的问题须填写依据"]);
  if (v.mode === "days" && !(Number(v.days) >= 1 && Number(v.days) <= 365)) list.push(["days", "工作日须为 1 到 365"]);
  if (v.mode === "date" && !v.deadline) list.push(["deadline", "请选择整改期限"]);
  if (v.mode === "spot" && !evidence.length) list.push(["evidence", "当场整改须拍摄整改后的照片"]);
  return list;
}

export async function findingsTab({ id, p, w, el, arg }) {
  const list = findings(p, w);
  const editing = arg && arg.startsWith("edit-") ? w.findings.find((f) => f.lid === Number(arg.slice(5))) : null;
  const newCode = arg && arg.startsWith("new-") ? decodeURIComponent(arg.slice(4)) : null;
  const rows = list.map((f) => `<li class="finding"><div><strong>${esc(f.item_code || f.text || f.title)}</strong> · ${label("severity", f.severity)}
      ${f.pending ? "<span class=\"badge pending\">未同步</span>" : ""}${f.other ? "<span class=\"badge\">其他设备登记</span>" : ""}
      <p>${esc(f.description)}</p><p class="hint">${f.rectified_on_spot ? "已当场整改" : f.deadline ? `限 ${esc(date(f.deadline))} 前整改` : f.deadline_working_days ? `${esc(f.deadline_working_days)} 个工作日内整改` : ""}</p></div>
      ${f.lid && !closed(p) ? `<div class="actions"><a class="button" href="#/i/${id}/findings/edit-${f.lid}">修改</a><button class="button danger" data-delete="${f.lid}">删除</button></div>` : ""}</li>`);
  const add = !closed(p) && begun(p, w) && !editing && !newCode ? `<a class="button primary" href="#/i/${id}/findings/new-">登记问题</a>` : "";
  el.innerHTML = (editing || newCode !== null ? findingForm(p, editing, newCode) : "")
    + `<ul class="findings">${rows.join("") || "<li class=\"hint\">尚未登记问题。</li>"}</ul>${add}`;
  el.onclick = async (ev) => {
    const d = ev.target.closest("[data-delete]");
    if (d && window.confirm("删除该问题？")) {
      await record.deleteFinding(id, Number(d.dataset.delete));
      flash("已删除");
      findingsTab({ id, p, w, el });
    }
  };
  const form = $("#finding", el);
  if (!form) return;
  const evidence = editing ? [...editing.evidence] : [];
  form.elements.evidence.addEventListener("change", async (ev) => {
    for (const file of ev.target.files) evidence.push((await capture.photo(id, file)).fid);
    $("#evidence-count").textContent = `已拍 ${evidence.length} 张`;
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const v = fields(form);
    if (!problems(form, checkFinding(p, v, evidence))) return;
    const item = p.record.items.find((i) => i.code === v.item_code);
    const body = { item_code: v.item_code || null, text: v.item_code ? null : v.text, severity: v.severity,
      description: v.description, location: v.location || null, basis: v.item_code ? null : v.basis,
      basis_confirmed: Boolean(item && !item.verified && form.elements.basis_confirmed && form.elements.basis_confirmed.checked),
      deadline: v.mode === "date" ? v.deadline : null, deadline_working_days: v.mode === "days" ? Number(v.days) : null,
      rectified_on_spot: v.mode === "spot" };
    await record.saveFinding(id, editing ? editing.lid : null, body, evidence);
    flash("问题已保存在本机");
    location.hash = `#/i/${id}/findings`;
  });
}

const BASIS = "《中华人民共和国安全生产法》第六十五条第一款第（三）项";

export function measuresTab({ id, p, w, el }) {
  const list = [...p.record.measures.map((m) => ({ ...m, sent: true })), ...w.measures.filter((m) => !p.record.measures.some((s) => s.scope_text === m.body.scope_text && s.kind === m.body.kind)).map((m) => ({ ...m.body, at: m.at }))];
  const rows = list.map((m) => `<li><strong>${label("measure", m.kind)}</strong>：${esc(m.scope_text)}<p class="hint">${esc(m.basis)}${m.sent ? "" : " · 未同步"}</p></li>`);
  const kinds = Object.entries({ withdraw_workers: 0, suspend_production: 0, stop_equipment: 0, other: 0 })
    .map(([k]) => `<option value="${k}">${label("measure", k)}</option>`).join("");
  el.innerHTML = `<ul class="measures">${rows.join("") || "<li class=\"hint\">未采取现场处理措施。</li>"}</ul>`
    + (closed(p) || !begun(p, w) ? "" : `<form id="measure" class="form card" novalidate><h2>现场处理措施</h2>
      <label>措施<select name="kind">${kinds}</select></label>
      <label>范围（区域、设备、人员）<textarea name="scope_text" rows="2" maxlength="5000"></textarea></label>
      <label>依据<textarea name="basis" rows="2" maxlength="5000">${BASIS}</textarea></label>
      <button class="primary big" type="submit">保存</button></form>`);
  const form = $("#measure", el);
  if (form) form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const v = fields(form);
    const list2 = [];
    if (!v.scope_text) list2.push(["scope_text", "请填写范围"]);
    if (!v.basis) list2.push(["basis", "请填写依据"]);
    if (!problems(form, list2)) return;
    await record.addMeasure(id, { kind: v.kind, scope_text: v.scope_text, basis: v.basis });
    flash("措施已保存在本机");
    measuresTab({ id, p, w, el });
  });
}

function signed(p, w, signer, userId) {
  const local = w.signatures.find((s) => s.body.signer === signer && (signer !== "inspector" || s.body.user_id === userId));
  const server = p.record.signatures.find((s) => s.signer === signer && (signer !== "inspector" || s.user_id === userId));
  return local || server ? { at: (local && local.at) || server.signed_at, refused: (local && local.body.refused) || (server && server.refused), pending: Boolean(local) && !server } : null;
}

export function signaturesTab({ id, p, w, el }) {
  const inspectors = p.inspection.team.filter((m) => m.role !== "expert");
  const row = (who, s, key) => `<li class="signer"><div><strong>${esc(who)}</strong><p class="hint">${s ? `${s.refused ? "拒绝签字，已记录" : "已签字"} ${esc(time(s.at))}${s.pending ? " · 未同步" : ""}` : "未签字"}</p></div>
    ${!s && can(p, "sign") && begun(p, w) && p.record.status !== "completed" ? `<button class="button primary" data-sign="${key}">签字</button>` : ""}</li>`;
  const ent = signed(p, w, "enterprise");
  el.innerHTML = `<ul class="signers">${inspectors.map((m) => row(`执法人员 ${m.name}（证号 ${m.certificate_no || "—"}）`, signed(p, w, "inspector", m.user_id), `inspector-${m.user_id}`)).join("")}
    ${row("被检查单位负责人", ent, "enterprise")}</ul><div id="pad-box"></div>`;
  el.onclick = (ev) => {
    const b = ev.target.closest("[data-sign]");
    if (b) padForm({ id, p, w, el }, b.dataset.sign);
  };
}

function padForm(ctx, key) {
  const { id, p, el } = ctx;
  const enterprise = key === "enterprise";
  const userId = enterprise ? null : Number(key.split("-")[1]);
  const member = p.inspection.team.find((m) => m.user_id === userId);
  $("#pad-box", el).innerHTML = `<form id="sign" class="form card" novalidate><h2>${enterprise ? "被检查单位负责人签字" : `执法人员 ${esc(member.name)} 签字`}</h2>
    ${enterprise ? `<label>负责人姓名<input name="name" maxlength="100" value="${esc(p.enterprise.principal || "")}"></label>
      <label class="check"><input type="checkbox" name="refused">负责人拒绝签字</label>
      <label>见证人（拒绝签字时）<input name="witness" maxlength="100"></label>
      <label>情况说明（拒绝签字时）<textarea name="reason" rows="2" maxlength="5000"></textarea></label>` : ""}
    <p class="hint">请在框内签名</p><canvas class="pad" id="pad"></canvas>
    <button class="button" type="button" id="clear">重写</button> <button class="primary big" type="submit">确认签字</button></form>`;
  const pad = capture.pad($("#pad", el));
  $("#clear", el).addEventListener("click", () => pad.clear());
  $("#sign", el).addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const v = fields(form);
    const refused = enterprise && form.elements.refused.checked;
    const list = [];
    if (enterprise && !v.name) list.push(["name", "请填写负责人姓名"]);
    if (refused && !v.witness) list.push(["witness", "拒绝签字须有见证人"]);
    if (refused && !v.reason) list.push(["reason", "请说明拒绝签字的情况"]);
    if (!refused && pad.empty()) list.push(["name", "请在框内签名"]);
    if (!problems(form, list)) return;
    const fid = refused ? null : (await capture.signature(id, await pad.blob(), enterprise ? "负责人" : member.name)).fid;
    const body = enterprise
      ? { signer: "enterprise", name: v.name, refused, witness: refused ? v.witness : null, reason: refused ? v.reason : null }
      : { signer: "inspector", user_id: userId, refused: false };
    await record.addSignature(id, body, fid);
    flash(refused ? "已记录拒绝签字" : "签字已保存在本机");
    signaturesTab(ctx);
  });
}

export function mediaTab({ id, p, w, el }) {
  const files = w.media.map((fid) => w.files[fid]).filter(Boolean);
  const rows = files.map((f) => `<li class="file"><span>${esc(f.name)}（${bytes(f.size)}）</span>
    <span class="hint">SHA-256 ${esc(f.sha256.slice(0, 16))}… ${f.receipt ? "· 已上传，服务器摘要一致" : "· 等待上传"}</span></li>`);
  el.innerHTML = `<p class="hint">执法记录仪或平板录制的音视频：选取后即在本机计算摘要并加密保存，回到有网络处分片上传，上传完成前不会删除。</p>
    <ul class="files">${rows.join("") || "<li class=\"hint\">没有音视频。</li>"}</ul>
    ${can(p, "add_media") ? `<label class="button primary big">添加音视频<input type="file" id="media" accept="video/*,audio/*" multiple hidden></label>` : ""}`;
  const input = $("#media", el);
  if (input) input.addEventListener("change", async () => {
    flash("正在保存到本机并计算摘要…");
    const fids = [];
    for (const file of input.files) fids.push((await capture.recording(id, file)).fid);
    await record.addMedia(id, fids);
    flash(`已保存 ${fids.length} 个文件，等待上传`);
    mediaTab({ id, p, w, el });
  });
}

export async function preview(f) {
  const src = f && (await capture.url(f));
  if (!src) { flash("照片已上传并从本机释放"); return; }
  window.open(src, "_blank");
}

export function completeBox({ p, w }) {
  if (!can(p, "complete") || p.record.status === "completed") return "";
  if (w.completing) return `<p class="ok-note">已提交完成，待同步。</p>`;
  const unchecked = p.record.items.filter((it) => !record.shown(p, w, it.code).outcome).length;
  return `<div class="card"><h2>完成检查</h2><p class="hint">未检查 ${unchecked} 项。完成后问题将进入隐患台账，服务器会再次核对记录是否完整。</p>
    <button class="primary big" id="complete" type="button">完成检查</button></div>`;
}

export function bindComplete({ id, p, w }) {
  const b = $("#complete");
  if (b) b.addEventListener("click", async () => {
    if (!window.confirm("确认完成本次检查？")) return;
    await record.complete(id);
    flash("已提交完成，同步后生效");
    show(id, "documents");
  });
}
