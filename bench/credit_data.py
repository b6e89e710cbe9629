"""Synthetic data for bench/credit.sh: 1,000,000 credit events (ten per enterprise
of a 100,000-enterprise roster, every signal in turn, spread over the three years
before 2026-12-01, a few voided by a contest) and 安责险 policies for about four
enterprises in five (one in ten of them under the 400,000 yuan floor, so coverage
and the uninsured signal have real work).
Usage: python3 bench/credit_data.py DB"""
import sqlite3
import sys

SIGNALS = ["overdue_major_hazard", "accident_general", "accident_relatively_serious", "penalty_decision",
           "refused_inspection", "late_statistics", "repeat_finding", "standardization_level2",
           "self_reported_hazard", "standardization_level3"]
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode=WAL")
T = "'2026-11-01T00:00:00+00:00'"
cases = " ".join(f"WHEN {i} THEN '{s}'" for i, s in enumerate(SIGNALS))
db.execute(f"""
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9)
INSERT INTO credit_events (enterprise_id, signal, occurred_on, source_type, source_id, detail, created_at,
  voided_at, void_reason)
SELECT e.id, CASE (e.id + n.i) % 10 {cases} END,
  date('2026-12-01', '-' || ((e.id * 37 + n.i * 101) % 1095) || ' days'), 'bench', e.id * 10 + n.i,
  '基准测试事件', {T},
  CASE WHEN (e.id * 10 + n.i) % 97 = 0 THEN {T} END, CASE WHEN (e.id * 10 + n.i) % 97 = 0 THEN '异议成立' END
FROM enterprises e, n ORDER BY e.id, n.i
""")
db.execute(f"INSERT INTO insurers (name, credit_code, created_at) VALUES ('基准财险', NULL, {T})")
insurer = db.execute("select id from insurers where name = '基准财险'").fetchone()[0]
user = db.execute("select min(id) from users").fetchone()[0]
db.execute(f"""
INSERT INTO insurance_policies (enterprise_id, insurer_id, policy_no, starts_on, ends_on, premium_yuan,
  insured_headcount, death_disability_limit_yuan, cancelled_on, cancel_reason, created_by, created_at, updated_at)
SELECT id, {insurer}, 'JZ-' || id, '2026-03-01', '2027-02-28', 20000, COALESCE(employees, 0) + 5,
  CASE WHEN (id / 3) % 10 = 3 THEN 300000 ELSE 500000 END, NULL, NULL, {user}, {T}, {T}
FROM enterprises WHERE (id / 7) % 5 <> 0
""")
db.commit()
