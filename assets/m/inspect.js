// One inspection on the tablet: its overview (enterprise, map link, open hazards,
// earlier findings, reserved numbers, the start on site), the checklist, and the
// tabs of `forms.js`. Which buttons show is decided by the server: the packet's
// `record_actions`.

import * as record from "./record.js";
import * as capture from "./capture.js";
import * as forms from "./forms.js";
import { PRINTABLE, findings } from "./print.js";
import { $, $$, esc, label, time, date, flash } from "./ui.js";

const TABS = [["overview", "概况"], ["items", "检查项"], ["findings", "问题"], ["measures", "措施"],
  ["signatures", "签字"], ["media", "音视频"], ["documents", "文书"]];

export function can(p, action) { return p.record_actions.includes(action); }

/** Whether the visit has begun (on the server, or on this tablet). */
export function begun(p, w) { return p.record.status !== "approved" || w.started !== null; }

export async function show(id, tab, arg) {
  const p = await record.packet(id);
  const main = $("#main");
  main.onclick = null;
  if (!p) {
    main.innerHTML = `<p class="warn">本机没有该检查的离线资料。<a href="#/">返回任务列表</a></p>`;
    return;
  }
  const w = await record.work(id);
  const nav = TABS.map(([t, name]) => `<a href="#/i/${id}/${t}" class="tab ${t === tab ? "on" : ""}">${name}</a>`).join("");
  const status = w.completing && p.record.status !== "completed" ? "已提交完成（待同步）"
    : p.record.status === "approved" && w.started ? "检查中（本机已开始，待同步）" : label("status", p.record.status);
  main.innerHTML = `<section class="inspection"><h1>${esc(p.enterprise.name)}</h1>
    <p class="sub">${label("kind", p.inspection.kind)} · ${status}</p><nav class="tabs">${nav}</nav>
    <div id="tab"></div></section>`;
  const el = $("#tab");
  const ctx = { id, p, w, el, arg, refresh: () => show(id, tab, arg) };
  const render = { overview, items, documents, findings: forms.findingsTab, measures: forms.measuresTab,
    signatures: forms.signaturesTab, media: forms.mediaTab }[tab] || overview;
  await render(ctx);
}

function overview({ id, p, w, el }) {
  const e = p.enterprise;
  const map = e.map_uri ? `<a class="button" href="${esc(e.map_uri)}">在地图中打开</a>` : "<span class=\"hint\">未登记位置</span>";
  const team = p.inspection.team.map((m) => `${esc(m.name)}（${label("role", m.role)}${m.certificate_no ? `，证号 ${esc(m.certificate_no)}` : ""}）`).join("、");
  const hazards = p.open_hazards.map((h) => `<li>${esc(h.title)} · ${label("level", h.level)} · ${label("hazardStatus", h.status)}${h.deadline ? ` · 期限 ${esc(date(h.deadline))}` : ""}</li>`).join("");
  const earlier = p.earlier_findings.map((f) => `<li>${esc(f.title || f.item_code || "")}：${esc(f.description)}（${esc(date(f.found_at))}）</li>`).join("");
  const docs = p.inspection.documents.map((d) => `<li>${esc(d.title)}：<strong>${esc(d.number)}</strong>（${label("doc", d.status)}）</li>`).join("");
  const started = w.started || (p.record.started_at ? { started_at: p.record.started_at, latitude: p.record.latitude,
    longitude: p.record.longitude, position_note: p.record.position_note } : null);
  const where = started && (started.latitude != null ? `定位 ${started.latitude.toFixed(5)}, ${started.longitude.toFixed(5)}` : started.position_note || "未能取得定位");
  const startBox = started
    ? `<p class="ok-note">已于 ${esc(time(started.started_at))} 开始检查（${esc(where)}）${w.started && p.record.status === "approved" ? "，待同步" : ""}</p>`
    : can(p, "start") ? `<form id="start" class="form"><label>被检查单位在场人员（姓名、职务）<textarea name="people" rows="2" maxlength="5000"></textarea></label>
        <button class="primary big" type="submit">到达现场，开始检查</button><p class="hint">记录本机时间和定位；无定位时注明“未能取得定位”。</p></form>` : "";
  el.innerHTML = `<div class="grid2"><div class="card"><h2>被检查单位</h2>
      <p>${esc(e.name)}<br>统一社会信用代码 ${esc(e.credit_code)}<br>${label("sector", e.sector)}<br>${esc(e.address || "地址未登记")}</p>
      <p>负责人 ${esc(e.principal || "—")} · 电话 ${esc(e.phone || "—")}</p>${map}</div>
    <div class="card"><h2>检查安排</h2><p>计划日期 ${esc(date(p.inspection.planned_date))}</p><p>检查组：${team}</p>
      <p>${esc(p.inspection.plan_text)}</p><p class="hint">离线资料下载于 ${esc(time(p.downloaded_at))}，可用至 ${esc(time(p.keep_until))}</p></div></div>
    <div class="card">${startBox}</div>
    <div class="card"><h2>预留文书编号</h2><ul>${docs || "<li>无</li>"}</ul></div>
    <div class="card"><h2>该单位未销号隐患（${p.open_hazards.length}）</h2><ul>${hazards || "<li>无</li>"}</ul></div>
    <div class="card"><h2>以往检查发现的问题（${p.earlier_findings.length}）</h2><ul>${earlier || "<li>无</li>"}</ul></div>`;
  const form = $("#start");
  if (form) form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    form.querySelector("button").disabled = true;
    const pos = await capture.position();
    const body = { started_at: new Date().toISOString(), people_present: form.elements.people.value.trim() || null,
      latitude: pos ? pos.latitude : null, longitude: pos ? pos.longitude : null,
      position_note: pos ? null : "未能取得定位" };
    await record.start(id, body);
    flash(pos ? "已开始检查，定位已记录" : "已开始检查：未能取得定位，已注明");
    show(id, "items");
  });
}

/** The enterprise's special-operation workers, on the items that ask for certificates (from the packet). */
function specialOps(p, it) {
  const so = p.record.special_operations;
  if (!so || !so.item_codes.includes(it.code)) return "";
  const rows = so.workers.map((x) => {
    const cls = x.status === "expired" || x.status === "missing" ? "badge major" : x.status === "valid" ? "badge" : "badge pending";
    return `<li>${esc(x.name)}（${esc(x.category_name)}）${x.certificate_no ? ` 证号 ${esc(x.certificate_no)}` : ""}${x.expires_on ? `，有效期至 ${esc(x.expires_on)}` : ""}
      <span class="${cls}">${esc(x.status_name)}</span></li>`;
  });
  const more = so.total > so.workers.length ? `<p class="hint">仅列出前 ${so.workers.length} 人，过期和未持证的在前。</p>` : "";
  return `<div class="special-ops" id="special-ops-${esc(it.code)}"><p><strong>本企业特种作业人员</strong>：登记 ${so.total} 人，持有效证书 ${so.valid} 人，
    证书过期 ${so.expired} 人，未持证 ${so.missing} 人。</p>${rows.length ? `<ul>${rows.join("")}</ul>` : ""}${more}</div>`;
}

function itemRow(p, w, it) {
  const s = record.shown(p, w, it.code);
  const e = w.items[it.code];
  const photos = ((e && e.fids) || []).map((fid) => w.files[fid]).filter(Boolean);
  const btn = (o, text) => `<button type="button" class="mark mark-${o}" data-code="${esc(it.code)}" data-outcome="${o}" aria-pressed="${s.outcome === o}">${text}</button>`;
  const hasFinding = findings(p, w).some((f) => f.item_code === it.code);
  const conflicts = it.conflicts.map((c) => `<div class="conflict"><p>该项有两个不同结果：已保存<strong>“${label("outcome", it.outcome)}”</strong>${it.note ? `（${esc(it.note)}）` : ""}；
      另一次提交<strong>“${label("outcome", c.outcome)}”</strong>${c.note ? `（${esc(c.note)}）` : ""}，${esc(time(c.created_at))}。请选择保留哪一个。</p>
      <button type="button" class="button" data-resolve="${c.id}" data-how="kept_server">保留已保存的结果</button>
      <button type="button" class="button" data-resolve="${c.id}" data-how="took_incoming">采用另一次提交的结果</button></div>`).join("");
  return `<li class="item ${s.outcome ? `is-${s.outcome}` : ""}" id="item-${esc(it.code)}">
    <p class="item-head"><span class="code">${esc(it.code)}</span>${it.severity === "major" ? "<span class=\"badge major\">重大隐患判定项</span>" : ""}
      ${s.pending ? "<span class=\"badge pending\">未同步</span>" : ""}</p>
    <p class="item-text">${esc(it.text)}</p><p class="basis">${esc(it.basis)}${it.verified ? "" : "（依据待核实）"}</p>${specialOps(p, it)}
    <div class="marks">${btn("conform", "符合")}${btn("non_conform", "不符合")}${btn("not_applicable", "不适用")}</div>
    <label class="note">说明<textarea data-note="${esc(it.code)}" rows="1" maxlength="5000">${esc(s.note || "")}</textarea></label>
    <div class="photos">${photos.map((f) => `<span class="thumb" data-fid="${esc(f.fid)}">${f.receipt ? "已上传" : "照片"}</span>`).join("")}
      <label class="button photo">拍照<input type="file" accept="image/*" capture="environment" data-photo="${esc(it.code)}" hidden></label>
      ${s.outcome === "non_conform" && !hasFinding ? `<a class="button primary" href="#/i/${p.inspection.id}/findings/new-${encodeURIComponent(it.code)}">登记问题</a>` : ""}</div>
    ${conflicts}</li>`;
}

async function items(ctx) {
  const { id, p, w, el } = ctx;
  if (!begun(p, w)) {
    el.innerHTML = `<p class="warn">请先在“概况”中开始检查。</p>`;
    return;
  }
  const editable = can(p, "record") && p.record.status !== "completed";
  const sections = [];
  for (const it of p.record.items) {
    let s = sections.find((x) => x.name === it.section);
    if (!s) { s = { name: it.section, items: [] }; sections.push(s); }
    s.items.push(it);
  }
  const done = p.record.items.filter((it) => record.shown(p, w, it.code).outcome).length;
  el.innerHTML = `<p class="progress" id="progress">已检查 ${done} / ${p.record.items.length} 项</p>`
    + sections.map((s) => `<h2 class="section">${esc(s.name)}</h2><ul class="items">${s.items.map((it) => itemRow(p, w, it)).join("")}</ul>`).join("");
  if (!editable) for (const b of $$("button, textarea, input", el)) b.disabled = true;
  el.onclick = async (ev) => {
    const b = ev.target.closest("button.mark");
    if (b) return markClick(ctx, b);
    const r = ev.target.closest("[data-resolve]");
    if (r) {
      await record.resolve(id, Number(r.dataset.resolve), r.dataset.how);
      flash(`已选择“${label("resolution", r.dataset.how)}”，同步后生效`);
      r.parentElement.classList.add("chosen");
    }
    const t = ev.target.closest(".thumb");
    if (t) forms.preview(w.files[t.dataset.fid]);
  };
  el.onchange = async (ev) => {
    const note = ev.target.dataset.note;
    if (note) {
      const s = record.shown(p, w, note);
      await record.mark(id, note, s.outcome, ev.target.value.trim() || null);
      return;
    }
    const code = ev.target.dataset.photo;
    if (code && ev.target.files.length) {
      flash("正在处理照片…");
      for (const file of ev.target.files) {
        const f = await capture.photo(id, file);
        await record.addItemFile(id, code, f.fid);
      }
      flash("照片已保存在本机");
      ctx.refresh();
    }
  };
}

/** Marks at once on screen (one frame), then keeps it. */
function markClick(ctx, b) {
  const { id, p, w, el } = ctx;
  const row = b.closest(".item");
  const code = b.dataset.code;
  const outcome = b.dataset.outcome;
  for (const x of row.querySelectorAll("button.mark")) x.setAttribute("aria-pressed", String(x === b));
  row.className = `item is-${outcome}`;
  if (!row.querySelector(".badge.pending")) row.querySelector(".item-head").insertAdjacentHTML("beforeend", "<span class=\"badge pending\">未同步</span>");
  const note = row.querySelector("textarea").value.trim() || null;
  record.mark(id, code, outcome, note).then(() => {
    const done = p.record.items.filter((it) => record.shown(p, w, it.code).outcome).length;
    $("#progress", el).textContent = `已检查 ${done} / ${p.record.items.length} 项`;
    if (outcome === "non_conform" && !findings(p, w).some((f) => f.item_code === code) && !row.querySelector(".photos a")) {
      row.querySelector(".photos").insertAdjacentHTML("beforeend",
        `<a class="button primary" href="#/i/${id}/findings/new-${encodeURIComponent(code)}">登记问题</a>`);
    }
  });
}

function documents({ id, p, w, el }) {
  const rows = p.inspection.documents.map((d) => {
    const printable = PRINTABLE.includes(d.type) && d.status !== "voided" && begun(p, w);
    return `<li class="doc-row"><div><strong>${esc(d.title)}</strong><p>${esc(d.number)} · ${label("doc", d.status)}</p></div>
      ${printable ? `<a class="button primary" href="#/print/${id}/${d.type}">预览并打印</a>` : ""}</li>`;
  });
  el.innerHTML = `<p class="hint">文号在审批时已预留；无网络时也可打印，内容取自本机记录。</p><ul class="docs">${rows.join("")}</ul>`
    + forms.completeBox({ id, p, w });
  forms.bindComplete({ id, p, w });
}
