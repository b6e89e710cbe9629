// The 执法文书 printed from the tablet, also without a network: the number reserved
// at approval (from the packet), the record as the server last answered it with the
// tablet's unsent changes on top, in the words of the server's own print pages
// (`src/inspection/record/sheets.rs`): change the two together.

import { esc, label, time, date } from "./ui.js";
import { shown } from "./record.js";
import { url } from "./capture.js";

function itemOf(p, code) { return p.record.items.find((i) => i.code === code); }

/** The record's findings: this tablet's (not deleted) and those sent from elsewhere. */
export function findings(p, w) {
  const mine = w.findings.filter((f) => !f.deleted);
  const ids = new Set(mine.map((f) => f.id).filter(Boolean));
  const local = mine.map((f) => ({ ...f.body, lid: f.lid, id: f.id, pending: !f.id }));
  const other = p.record.findings.filter((f) => !ids.has(f.id)).map((f) => ({ ...f, text: f.title, other: true }));
  return [...local, ...other];
}

function title(p, f) {
  const item = f.item_code && itemOf(p, f.item_code);
  return item ? `${item.code} ${item.text}` : f.text || f.title || "—";
}

function basis(p, f) {
  const item = f.item_code && itemOf(p, f.item_code);
  if (item && (item.verified || f.basis_confirmed)) return esc(item.basis);
  if (!item && f.basis) return esc(f.basis);
  return "依据待核实";
}

function deadline(f) {
  if (f.rectified_on_spot) return "已当场整改";
  if (f.deadline && f.deadline_working_days) return `${date(f.deadline)}前（自送达之日起 ${f.deadline_working_days} 个工作日）`;
  if (f.deadline) return `${date(f.deadline)}前`;
  if (f.deadline_working_days) return `自送达之日起 ${f.deadline_working_days} 个工作日内`;
  return "—";
}

function findingsTable(p, list) {
  const rows = list.map((f, n) => {
    const place = f.location ? `（部位：${esc(f.location)}）` : "";
    return `<tr><td>${n + 1}</td><td>${esc(title(p, f))}：${esc(f.description)}${place}</td>`
      + `<td>${label("severity", f.severity)}</td><td>${basis(p, f)}</td><td>${esc(deadline(f))}</td></tr>`;
  });
  return `<table class="doc-table"><tr><th>序号</th><th>问题</th><th>级别</th><th>依据</th><th>整改期限</th></tr>${rows.join("")}</table>`;
}

function measuresTable(p, w) {
  const list = [...p.record.measures, ...w.measures.filter((m) => !m.sent).map((m) => m.body)];
  const unique = list.filter((m, n) => list.findIndex((x) => x.kind === m.kind && x.scope_text === m.scope_text) === n);
  const rows = unique.map((m) => `<tr><td>${label("measure", m.kind)}</td><td>${esc(m.scope_text)}</td><td>${esc(m.basis)}</td></tr>`);
  return { count: unique.length, html: `<table class="doc-table"><tr><th>措施</th><th>范围</th><th>依据</th></tr>${rows.join("")}</table>` };
}

async function signatures(p, w) {
  const team = p.inspection.team;
  const out = [];
  for (const s of w.signatures) {
    const b = s.body;
    const member = team.find((m) => m.user_id === b.user_id);
    const who = b.signer === "inspector"
      ? `执法人员：${esc(member ? member.name : "")}（执法证号 ${esc((member && member.certificate_no) || "—")}）`
      : `被检查单位负责人：${esc(b.name)}`;
    let mark = "";
    if (b.refused) mark = `拒绝签字（见证人：${esc(b.witness || "—")}；情况：${esc(b.reason || "—")}）`;
    else if (s.fid) {
      const src = await url(w.files[s.fid]);
      const att = w.files[s.fid].receipt;
      const href = src || (att ? `/api/v1/attachments/${att.attachment_id}` : "");
      mark = href ? `<img class="doc-signature" src="${esc(href)}" alt="签名">` : "";
    }
    out.push(`<p class="doc-signer">${who} ${mark} ${esc(time(s.at))}</p>`);
  }
  return `<div class="doc-signatures">${out.join("")}</div>`;
}

function siteRecord(p, w) {
  const st = w.started || {};
  const r = p.record;
  const position = st.latitude != null ? `${st.latitude.toFixed(5)}, ${st.longitude.toFixed(5)}`
    : (r.latitude != null ? `${r.latitude.toFixed(5)}, ${r.longitude.toFixed(5)}` : st.position_note || r.position_note || "—");
  const rows = r.items.map((it) => {
    const s = shown(p, w, it.code);
    return `<tr><td>${esc(it.code)}</td><td>${esc(it.text)}</td><td>${s.outcome ? label("outcome", s.outcome) : "未检查"}</td><td>${esc(s.note || "")}</td></tr>`;
  });
  const list = findings(p, w);
  const m = measuresTable(p, w);
  return `<table class="doc-table"><tr><th>检查时间</th><td>${esc(time(st.started_at || r.started_at))} 起</td></tr>`
    + `<tr><th>定位</th><td>${esc(position)}</td></tr><tr><th>在场人员</th><td>${esc(st.people_present || r.people_present || "—")}</td></tr></table>`
    + `<h2 class="doc-section">检查情况</h2><table class="doc-table"><tr><th>编号</th><th>检查内容</th><th>结果</th><th>说明</th></tr>${rows.join("")}</table>`
    + `<h2 class="doc-section">发现的问题</h2>${list.length ? findingsTable(p, list) : "<p>未发现问题。</p>"}`
    + (m.count ? `<h2 class="doc-section">现场处理措施</h2>${m.html}` : "");
}

function order(p, w) {
  const list = findings(p, w).filter((f) => !f.rectified_on_spot);
  return "<p class=\"doc-intro\">经现场检查，你单位存在下列问题，依据《中华人民共和国安全生产法》第六十五条，责令你单位在下列期限内整改完毕，整改期间采取有效措施确保安全，并将整改情况书面报告我局：</p>"
    + findingsTable(p, list)
    + "<p>逾期未整改的，依据《中华人民共和国安全生产法》第一百零二条依法处理。</p>";
}

function measures(p, w) {
  return "<p class=\"doc-intro\">经现场检查，依据《中华人民共和国安全生产法》第六十五条第一款第（三）项，现作出如下现场处理决定：</p>"
    + measuresTable(p, w).html + "<p>重大事故隐患排除后，经审查同意，方可恢复生产经营和使用。</p>";
}

export const PRINTABLE = ["site_record", "rectification_order", "on_site_measures"];

/** The document `type` of the inspection as HTML, or null when the packet has no number for it. */
export async function documentHtml(p, w, type) {
  const doc = p.inspection.documents.find((d) => d.type === type && d.status !== "voided");
  if (!doc) return null;
  const body = type === "site_record" ? siteRecord(p, w) : type === "rectification_order" ? order(p, w) : measures(p, w);
  const today = date(new Date(Date.now() + 8 * 3600 * 1000).toISOString());
  return `<article class="doc"><p class="doc-bureau">${esc(p.inspection.bureau_name)}</p>`
    + `<h1 class="doc-title">${esc(doc.title)}</h1><p class="doc-number">${esc(doc.number)}</p>`
    + `<p class="doc-party">被检查单位：${esc(p.enterprise.name)}（统一社会信用代码 ${esc(p.enterprise.credit_code)}）</p>`
    + `<p class="doc-party">地址：${esc(p.enterprise.address || "—")}</p>`
    + body + (await signatures(p, w))
    + `<p class="doc-date">${esc(p.inspection.bureau_name)}<br>${today}</p></article>`;
}
