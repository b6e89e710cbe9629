"""Synthetic penalty cases for bench/cases.sh: two decided cases under the WSL for
every fourth enterprise (25,000 enterprises, 50,000 decisions spread over the last
year) and two more for every 400th, each with its unit party, one violation and its
numbered 立案审批表; one case in four still in progress (filed, with the 90-day
clock running); the 250 enterprises with four decisions and an open major hazard meet art. 113; an open major hazard at every 50th enterprise. The regions of the
roster take turns, so each county bureau holds about 10,100 cases.
Usage: python3 bench/cases_data.py DB"""
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode=WAL")
handler = db.execute("select id from users where username = 'cbr'").fetchone()[0]
T = "'2026-11-01T00:00:00+00:00'"
db.execute(f"""
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 3),
picked AS (SELECT e.id AS eid, e.supervising_bureau_id AS bid, n.i AS i FROM enterprises e, n
  WHERE e.id % 4 = 0 AND (n.i < 2 OR e.id % 400 = 0))
INSERT INTO cases (bureau_id, enterprise_id, inspection_id, hazard_ids, procedure, status, facts, complex,
  handler_id, co_handler_id, filed_by, filed_on, time_limit_days, hearing_right, hearing_officer_id, notified_on,
  statement_until, reviewer_id, discussed, decision, decided_by, decided_on, fine_total_yuan, served_on,
  payment_due, paid_yuan, paid_on, closed_on, created_by, created_at, updated_at, version)
SELECT bid, eid, NULL, '', 'general',
  CASE WHEN i = 1 AND eid % 8 = 4 THEN 'filed' ELSE 'closed' END,
  '基准测试案件：事故隐患未消除', 0, {handler}, NULL, {handler},
  date('2026-11-30', '-' || ((eid * 7 + i * 31) % 300) || ' days'), 90, 0, NULL, NULL, NULL, NULL, 0,
  CASE WHEN i = 1 AND eid % 8 = 4 THEN NULL ELSE 'penalty' END, NULL,
  CASE WHEN i = 1 AND eid % 8 = 4 THEN NULL ELSE date('2026-12-01', '-' || ((eid * 7 + i * 31) % 300) || ' days') END,
  10000 + (eid % 5) * 5000, NULL, NULL, 0, NULL, NULL, {handler}, {T},
  strftime('%Y-%m-%dT%H:%M:%S+00:00', '2026-11-30', '-' || ((eid * 13 + i * 17) % 300000) || ' minutes'), 1
FROM picked ORDER BY eid, i
""")
db.execute("""
INSERT INTO case_parties (case_id, position, kind, enterprise_id, name, id_number, role)
SELECT c.id, 0, 'unit', c.enterprise_id, e.name, NULL, 'unit' FROM cases c JOIN enterprises e ON e.id = c.enterprise_id
""")
db.execute("""
INSERT INTO case_violations (case_id, position, party_position, catalogue_code, stage, act, step_code, fine_yuan,
  annual_income_yuan, reason, mitigation, outside_step)
SELECT id, 0, 0, CASE id % 3 WHEN 0 THEN 'wsl-102' WHEN 1 THEN 'wsl-99-4' ELSE 'wsl-101-2' END, 'first', 1000,
  'general', fine_total_yuan, NULL, '', 0, 0 FROM cases
""")
db.execute("""
INSERT INTO case_documents (case_id, step_id, kind, bureau_id, year, seq, number, issued_at)
SELECT id, NULL, 'case_filing', bureau_id, 2026, ROW_NUMBER() OVER (PARTITION BY bureau_id ORDER BY id),
  '（基准）应急立案〔2026〕' || ROW_NUMBER() OVER (PARTITION BY bureau_id ORDER BY id) || '号', '2026-11-01T00:00:00+00:00'
FROM cases
""")
db.execute("""
INSERT INTO hazards (enterprise_id, bureau_id, sector, region_code, source, level, closure, category, title,
  description, found_at, deadline, status, is_open, suspended, created_by, created_at, updated_at,
  status_changed_at, closed_at, version)
SELECT id, supervising_bureau_id, sector, region_code, 'inspection', 'major', 'major', 'unsafe_condition',
  '重大事故隐患 ' || id, '基准测试数据', '2026-10-01T00:00:00+00:00', '2027-01-31', 'rectifying', 1, 0, NULL,
  '2026-10-01T00:00:00+00:00', '2026-10-01T00:00:00+00:00', '2026-10-01T00:00:00+00:00', NULL, 1
FROM enterprises WHERE id % 50 = 0
""")
db.commit()
