// Builds a consistent full proof in the page with the verifier's own pieces (for
// the page tests; the cross tests use `anjian draw synthetic`). Arguments: the
// enterprise ids (with credit codes), the number of inspectors, the sample per
// stratum, weighted, the specialty rule, the secret; returns the proof's JSON text.
const [ents0, m, per, weighted, rule, secret] = arguments;
const A = window.AnjianDraw;
const sectors = ["fireworks", "hazardous_chemicals", "industry_trade", "non_coal_mine"];
const ents = ents0.map((e, i) => ({ id: e[0], credit_code: e[1], stratum: sectors[i % 4], sector: sectors[i % 4],
  weight: weighted ? 1 + ((i * 7919) % 1000) : 1 }));
const insp = [];
for (let i = 0; i < m; i++) {
  insp.push({ certificate_no: "4201" + String(10000000 + i), user_id: 1000 + i, specialties: [sectors[i % 4]] });
}
const ex = [];
for (let i = 0; i < ents.length; i += 3) { ex.push({ enterprise_id: ents[i].id, certificate_no: insp[i % m].certificate_no }); }
ex.sort((a, b) => a.enterprise_id - b.enterprise_id || A.cmpUtf8(a.certificate_no, b.certificate_no));
const strata = sectors.map((s) => {
  const size = ents.filter((e) => e.stratum === s).length;
  return { key: s, size, count: Math.min(per, size) };
}).filter((s) => s.size > 0);
const p = { format: "anjian-draw-proof", format_version: 1, algorithm: "anjian-sampler-v1", hash: "sha256", public: false,
  draw: { id: 0, bureau: "", title: "2026年第四季度双随机抽查", committed_at: "", executed_at: null, supersedes: null, redraw_reason: null },
  parameters: { team_size: 2, specialty_rule: rule, weighted, strata }, enterprises: ents, inspectors: insp,
  exclusions: ex, ineligible: [] };
const h = A.parts.poolHashes(p);
p.hashes = { enterprises: A.hex(h.enterprises), inspectors: A.hex(h.inspectors), exclusions: A.hex(h.exclusions),
  parameters: A.hex(h.parameters), pool: A.hex(h.pool) };
p.hashes.inspector_ids = A.hex(A.hashOf("anjian-draw-v1/inspector-ids", (w) => {
  w.count(insp.length); insp.forEach((x) => { w.text(x.certificate_no); w.text(x.user_id); });
}));
p.commitment = A.hex(A.hashOf("anjian-draw-v1/commitment", (w) => w.text(secret)));
p.secret = secret;
p.public_entropy = null;
const seed = A.hashOf("anjian-draw-v1/seed", (w) => { w.raw(h.pool); w.text(secret); w.text(""); });
p.seed = A.hex(seed);
const run = A.parts.rerun(p, A.parts.checkLists(p), seed);
p.result = { tasks: run.drawn.map((d, i) => ({ enterprise_id: ents[d].id, credit_code: ents[d].credit_code,
  certificate_nos: run.teams[i].map((j) => insp[j].certificate_no), inspectors: run.teams[i].map((j) => insp[j].user_id) })) };
return JSON.stringify(p);
