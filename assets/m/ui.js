// Small helpers of the screens: escaping, Chinese labels of the server's codes,
// dates in Beijing time, and the message bar.

export function esc(v) {
  return String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

export const $ = (css, root = document) => root.querySelector(css);
export const $$ = (css, root = document) => Array.from(root.querySelectorAll(css));

export const LABELS = {
  status: { pending_approval: "待审批", approved: "已审批待检查", in_progress: "检查中", completed: "已完成",
    rejected: "未批准", cancelled: "已取消" },
  kind: { double_random: "双随机抽查", planned: "重点检查", special: "专项检查", joint: "联合检查",
    cross_region: "异地交叉检查", supervisory: "督导检查", unannounced: "四不两直暗查暗访", complaint: "举报核查",
    re_inspection: "复查", accident: "事故调查" },
  sector: { hazardous_chemicals: "危险化学品", fireworks: "烟花爆竹", non_coal_mine: "非煤矿山", industry_trade: "工贸" },
  outcome: { conform: "符合", non_conform: "不符合", not_applicable: "不适用", unchecked: "未检查" },
  severity: { major: "重大事故隐患", general: "一般事故隐患" },
  hazardStatus: { reported: "待认定", confirmed: "已认定", assigned: "已交办", rectifying: "整改中", pending_verification: "待验收",
    closed: "已销号", dismissed: "不予认定", voided: "已作废" },
  level: { general: "一般隐患", major: "重大隐患" },
  measure: { withdraw_workers: "从危险区域内撤出作业人员", suspend_production: "暂时停产停业",
    stop_equipment: "停止使用相关设施、设备", other: "其他措施" },
  role: { leader: "组长", inspector: "执法人员", expert: "专家" },
  doc: { reserved: "已预留", issued: "已出具", voided: "已作废" },
  op: { start: "开始检查", results: "检查结果", finding: "登记问题", finding_update: "修改问题", finding_delete: "删除问题",
    measure: "现场处理措施", signature: "签字", media: "执法记录（音视频）", complete: "完成检查", resolve: "冲突处理" },
  opState: { waiting: "等待发送", sent: "已送达", refused: "被退回" },
  resolution: { kept_server: "保留已保存的结果", took_incoming: "采用另一次提交的结果" },
};

export function label(group, code) {
  return (LABELS[group] && LABELS[group][code]) || "—";
}

const beijing = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit",
  day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false });

export function time(iso) {
  return iso ? beijing.format(new Date(iso)) : "—";
}

export function date(iso) {
  if (!iso) return "—";
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${y}年${m}月${d}日`;
}

export function bytes(n) {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(n / 1024))} KB`;
}

let flashTimer = null;
/** A message at the bottom of the screen; `kind` is "ok" or "error". */
export function flash(text, kind = "ok") {
  const bar = $("#flash");
  bar.textContent = text;
  bar.className = `flash ${kind}`;
  bar.hidden = false;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => { bar.hidden = true; }, kind === "error" ? 8000 : 3000);
}

/** Reads a form's named fields into an object of trimmed strings. */
export function fields(form) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) if (typeof v === "string") out[k] = v.trim();
  return out;
}

/** Shows every problem of a form at once, next to its field. */
export function problems(form, list) {
  for (const el of $$(".field-error", form)) el.remove();
  for (const [name, text] of list) {
    const input = form.elements[name];
    const p = document.createElement("p");
    p.className = "field-error";
    p.textContent = text;
    (input && input.closest ? input.closest("label") || input : form).after(p);
  }
  return list.length === 0;
}
