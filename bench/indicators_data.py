"""Synthetic province for bench/indicators.sh (issue 17's sizes), written straight into
the SQLite tables after `anjian import enterprises` has loaded a 100,000-row roster:

- the register spread over every county of 湖北省 (420000) in data/regions.tsv, each with
  its bureau (and the prefectures' and the province's above it); the roster's sectors
  and sub-types kept; two in five above designated size; standardisation grades with
  dates over 2023–2026; one in fifty closed;
- 1,000,000 hazards (ten per enterprise) found over the year to 2026-12-06: most closed,
  some open, a few dismissed or voided; 2 % major with deadlines, and for the majors
  the ledger's events (handed in for verification — 待验收 — and closed);
- 10,000 accidents over 2025–2026 (one in ten of an operator outside the register),
  1 % 较大, 0.1 % 重大;
- 50,000 completed inspections over 2025-06 … 2026-12;
- 安责险 policies for about four enterprises in five (one in ten under the floor).
Timestamps are stored as sea-orm writes them on SQLite: '2026-03-01T08:00:00+00:00'.
Usage: python3 bench/indicators_data.py DB"""
import sqlite3
import sys

PROVINCE = "42"
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=OFF")
T = "'2026-01-05T00:00:00+00:00'"
TS = "'%Y-%m-%dT%H:%M:%S+00:00'"
user = db.execute("select min(id) from users").fetchone()[0]

# Bureaus for every region of the province (parents first), as `bureau::ensure_for_region` makes them.
regions = []
with open("data/regions.tsv", encoding="utf-8") as f:
    next(f)
    for line in f:
        code, name, parent = (line.rstrip("\n").split("\t") + [""])[:3]
        if code.startswith(PROVINCE):
            regions.append((code, name, parent))
by_code = {r[0]: r for r in regions}
existing = {c: (i, p) for i, c, p in db.execute("select id, code, path from bureaus")}


def ensure(code):
    if code in existing:
        return existing[code]
    _, name, parent = by_code[code]
    level = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
    up = ensure(parent) if parent else None
    path = (up[1] if up else "/") + code + "/"
    full = name + ("应急管理厅" if level == "province" else "应急管理局")
    cur = db.execute(
        f"INSERT INTO bureaus (code, name, kind, region_code, parent_id, path, created_at) VALUES (?, ?, ?, ?, ?, ?, {T})",
        (code, full, level, code, up[0] if up else None, path))
    existing[code] = (cur.lastrowid, path)
    return existing[code]


counties = [c for c, _, _ in regions if not c.endswith("00")]
db.execute("CREATE TEMP TABLE counties (k INTEGER PRIMARY KEY, code TEXT, bureau_id INTEGER)")
for k, c in enumerate(counties):
    db.execute("INSERT INTO counties VALUES (?, ?, ?)", (k, c, ensure(c)[0]))
n = len(counties)

# The register: every county, size, standardisation, a few closed.
db.execute(f"""
UPDATE enterprises SET
  region_code = (SELECT code FROM counties WHERE k = (enterprises.id * 7) % {n}),
  supervising_bureau_id = (SELECT bureau_id FROM counties WHERE k = (enterprises.id * 7) % {n}),
  above_designated_size = CASE WHEN id % 5 < 2 THEN 1 ELSE 0 END,
  standardization_grade = CASE WHEN id % 20 = 0 THEN 'level1' WHEN id % 20 < 4 THEN 'level2'
    WHEN id % 20 < 10 THEN 'level3' ELSE 'unrated' END,
  standardization_date = CASE WHEN id % 20 < 10 THEN date('2023-01-01', '+' || ((id * 13) % 1430) || ' days') END,
  status = CASE WHEN id % 50 = 0 THEN 'closed' ELSE status END
""")

# Hazards: ten an enterprise, found over the 370 days to 2026-12-06.
found = f"strftime({TS}, '2025-12-01', '+' || ((e.id * 131 + n.i * 7919) % 532800) || ' minutes')"
state = """CASE WHEN (e.id * 3 + n.i) % 97 = 0 THEN 'dismissed' WHEN (e.id * 3 + n.i) % 89 = 0 THEN 'voided'
    ELSE CASE (e.id * 3 + n.i) % 20 WHEN 0 THEN 'reported' WHEN 1 THEN 'assigned' WHEN 2 THEN 'pending_verification'
    WHEN 3 THEN 'rectifying' WHEN 4 THEN 'rectifying' WHEN 5 THEN 'rectifying' ELSE 'closed' END END"""
major = "(e.id * 7 + n.i) % 50 = 0"
db.execute(f"""
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9),
h AS (SELECT e.id AS eid, e.supervising_bureau_id AS bid, e.sector, e.region_code, n.i,
  {found} AS found_at, {state} AS status, {major} AS major, (e.id + n.i) % 3 = 0 AS insp
  FROM enterprises e, n)
INSERT INTO hazards (enterprise_id, bureau_id, sector, region_code, source, level, closure, origin_closure, category,
  title, description, found_at, deadline, status, is_open, suspended, created_by, created_at, updated_at,
  status_changed_at, closed_at, version)
SELECT eid, bid, sector, region_code, CASE WHEN insp THEN 'inspection' ELSE 'self_check' END,
  CASE WHEN major THEN 'major' ELSE 'general' END,
  CASE WHEN major THEN 'major' WHEN insp THEN 'inspector' ELSE 'enterprise' END,
  CASE WHEN major THEN 'major' WHEN insp THEN 'inspector' ELSE 'enterprise' END,
  'unsafe_condition', '隐患 ' || eid || '-' || i, '基准测试数据', found_at,
  date(found_at, '+' || (CASE WHEN major THEN 60 ELSE 15 END + (eid + i) % 60) || ' days'),
  status, status IN ('reported', 'assigned', 'rectifying', 'pending_verification'), 0, {user}, found_at, found_at,
  found_at,
  CASE WHEN status = 'closed' THEN min(strftime({TS}, found_at, '+' || (5 + (eid * 3 + i) % 80) || ' days'),
    '2026-12-06T00:00:00+00:00') END, 1
FROM h ORDER BY eid, i
""")

# The majors' events: handed in (待验收) before the deadline or after it, then closed.
db.execute(f"""
INSERT INTO hazard_events (hazard_id, action, from_status, to_status, actor_id, at, note, data)
SELECT id, 'submit', 'rectifying', 'pending_verification', {user},
  min(strftime({TS}, deadline, printf('%+d days', (id % 40) - 30)), COALESCE(closed_at, '2026-12-06T00:00:00+00:00')),
  NULL, NULL
FROM hazards WHERE level = 'major' AND status IN ('pending_verification', 'closed')
""")
db.execute(f"""
INSERT INTO hazard_events (hazard_id, action, from_status, to_status, actor_id, at, note, data)
SELECT id, 'verify', 'pending_verification', 'closed', {user}, closed_at, NULL, NULL
FROM hazards WHERE level = 'major' AND status = 'closed'
""")

# Accidents: over 2025-01-01 … 2026-12-05; one in ten of an operator outside the register.
db.execute(f"""
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9999),
lo AS (SELECT min(id) AS m FROM enterprises)
INSERT INTO accidents (bureau_id, enterprise_id, operator_name, occurred_at, accident_type, place, summary, deaths,
  missing, serious_injuries, direct_loss_yuan, grade, reported_at, created_by, created_at, updated_at)
SELECT COALESCE(e.supervising_bureau_id, (SELECT bureau_id FROM counties WHERE k = n.i % {n})),
  e.id, CASE WHEN e.id IS NULL THEN '无证经营者 ' || n.i END,
  strftime({TS}, '2025-01-01', '+' || ((n.i * 7717) % 1012320) || ' minutes'),
  CASE n.i % 3 WHEN 0 THEN 'machinery' WHEN 1 THEN 'fall_from_height' ELSE 'struck_by_object' END,
  '基准测试地点', '基准测试事故',
  CASE WHEN n.i % 1000 = 7 THEN 11 WHEN n.i % 100 = 3 THEN 3 + n.i % 4 WHEN n.i % 5 = 0 THEN 1 ELSE 0 END,
  CASE WHEN n.i % 1000 = 7 THEN 1 ELSE 0 END, n.i % 3, 10000 + n.i,
  CASE WHEN n.i % 1000 = 7 THEN 'serious' WHEN n.i % 100 = 3 THEN 'relatively_serious' ELSE 'general' END,
  NULL, {user}, {T}, {T}
FROM n, lo LEFT JOIN enterprises e ON e.id = lo.m + (n.i * 7919) % 100000 AND n.i % 10 <> 0
""")

# Completed inspections: 50,000 over 2025-06-01 … 2026-12-05.
done = f"strftime({TS}, '2025-06-01', '+' || ((n.i * 104729) % 789120) || ' minutes')"
db.execute(f"""
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49999),
lo AS (SELECT min(id) AS m FROM enterprises)
INSERT INTO inspections (bureau_id, enterprise_id, kind, status, planned_date, plan_text, checklists,
  counts_against_cap, over_cap, created_by, created_at, approved_by, approved_at, started_at, completed_at,
  version, updated_at)
SELECT e.supervising_bureau_id, e.id, CASE WHEN n.i % 4 = 0 THEN 'double_random' ELSE 'planned' END, 'completed',
  date({done}), '基准测试检查', '[]', 0, 0, {user}, {done}, {user}, {done}, {done}, {done}, 1, {done}
FROM n, lo JOIN enterprises e ON e.id = lo.m + (n.i * 37) % 100000
""")

# 安责险 policies (as bench/credit_data.py).
db.execute(f"INSERT INTO insurers (name, credit_code, created_at) VALUES ('基准财险', NULL, {T})")
insurer = db.execute("select id from insurers where name = '基准财险'").fetchone()[0]
db.execute(f"""
INSERT INTO insurance_policies (enterprise_id, insurer_id, policy_no, starts_on, ends_on, premium_yuan,
  insured_headcount, death_disability_limit_yuan, cancelled_on, cancel_reason, created_by, created_at, updated_at)
SELECT id, {insurer}, 'JZ-' || id, date('2026-01-01', '+' || (id % 200) || ' days'),
  date('2026-12-31', '+' || (id % 200) || ' days'), 20000, COALESCE(employees, 0) + 5,
  CASE WHEN (id / 3) % 10 = 3 THEN 300000 ELSE 500000 END, NULL, NULL, {user}, {T}, {T}
FROM enterprises WHERE (id / 7) % 5 <> 0
""")
db.commit()
