"""Synthetic data for bench/grading.sh: ten risk points per enterprise (3 % red,
12 % orange, 30 % yellow, 55 % blue; one in forty a major hazard installation), 500
points for the first enterprise, and the ledger of bench/hazards.sh (ten hazards per
enterprise, 40 % open, 2 % major), with every major hazard and one in seven others
recorded at one of the enterprise's points. Usage: python3 bench/grading_data.py DB"""
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode=WAL")
user = db.execute("select id from users order by id limit 1").fetchone()[0]
first = db.execute("select min(id) from enterprises").fetchone()[0]
T = "'2026-06-01T00:00:00+00:00'"
POINT = f"""
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :last),
p AS (SELECT e.id AS eid, n.i AS i,
        CASE WHEN (e.id * 7 + n.i * 13) % 100 < 3 THEN 'red' WHEN (e.id * 7 + n.i * 13) % 100 < 15 THEN 'orange'
             WHEN (e.id * 7 + n.i * 13) % 100 < 45 THEN 'yellow' ELSE 'blue' END AS lvl
      FROM enterprises e, n WHERE e.id BETWEEN :lo AND :hi)
INSERT INTO risk_points (enterprise_id, name, location, hazard_factors, method, l, e, c, s, score,
  scored_level, level, direct_red, rules_version, control_measures, emergency_measures, owning_level,
  responsible_person, installation_grade, people_exposed, fatal_accident_unchanged, review_due,
  checklist_items, plan_x, plan_y, board_token, created_by, created_at, updated_at)
SELECT eid, '风险点 ' || eid || '-' || i, '生产区 ' || (i % 7 + 1) || ' 号', '火灾、爆炸、中毒和窒息', 'lec',
  CASE lvl WHEN 'red' THEN 10 WHEN 'orange' THEN 6 WHEN 'yellow' THEN 3 ELSE 1 END, 6, 7, NULL,
  CASE lvl WHEN 'red' THEN 420 WHEN 'orange' THEN 252 WHEN 'yellow' THEN 126 ELSE 42 END, lvl, lvl, '',
  'national-2026-12', '巡检、联锁、个体防护', '疏散、堵漏、报告',
  CASE i % 4 WHEN 0 THEN 'company' WHEN 1 THEN 'workshop' WHEN 2 THEN 'team' ELSE 'post' END,
  '责任人', CASE WHEN (eid + i) % 40 = 0 THEN eid % 4 + 1 END, NULL, 0, '2027-06-01', '', NULL, NULL, NULL,
  {user}, {T}, {T}
FROM p ORDER BY eid, i
"""
db.execute(POINT, {"last": 9, "lo": first + 1, "hi": 1 << 62})
db.execute(POINT, {"last": 499, "lo": first, "hi": first})
# Ten hazards per enterprise: 60 % closed, 25 % rectifying, 5 % reported, 5 % assigned,
# 5 % pending verification; 2 % major; deadlines spread over 2026-05-01 … 2027-04-30.
db.execute("""
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9)
INSERT INTO hazards (enterprise_id, bureau_id, sector, region_code, source, level, closure, category, title,
  description, found_at, deadline, status, is_open, suspended, created_by, created_at, updated_at,
  status_changed_at, closed_at, version)
SELECT e.id, e.supervising_bureau_id, e.sector, e.region_code,
  CASE WHEN (e.id + n.i) % 3 = 0 THEN 'inspection' ELSE 'self_check' END,
  CASE WHEN (e.id * 7 + n.i) % 50 = 0 THEN 'major' ELSE 'general' END,
  CASE WHEN (e.id * 7 + n.i) % 50 = 0 THEN 'major' WHEN (e.id + n.i) % 3 = 0 THEN 'inspector' ELSE 'enterprise' END,
  'unsafe_condition', '隐患 ' || e.id || '-' || n.i, '基准测试数据',
  '2026-04-01T00:00:00+00:00',
  date('2026-05-01', '+' || ((e.id * 13 + n.i * 37) % 365) || ' days'),
  CASE (e.id * 3 + n.i) % 20 WHEN 0 THEN 'reported' WHEN 1 THEN 'assigned' WHEN 2 THEN 'pending_verification'
    WHEN 3 THEN 'rectifying' WHEN 4 THEN 'rectifying' WHEN 5 THEN 'rectifying' WHEN 6 THEN 'rectifying'
    WHEN 7 THEN 'rectifying' ELSE 'closed' END,
  CASE WHEN (e.id * 3 + n.i) % 20 < 8 THEN 1 ELSE 0 END, 0, NULL,
  '2026-04-01T00:00:00+00:00', '2026-04-01T00:00:00+00:00', '2026-10-01T00:00:00+00:00',
  CASE WHEN (e.id * 3 + n.i) % 20 < 8 THEN NULL ELSE '2026-10-01T00:00:00+00:00' END, 1
FROM enterprises e, n
""")
# Points are inserted in (enterprise, i) order, so an enterprise's points are a run of ids.
db.execute("""
UPDATE hazards SET risk_point_id = (
  SELECT min(p.id) FROM risk_points p WHERE p.enterprise_id = hazards.enterprise_id) + (hazards.id % 10)
WHERE level = 'major' OR id % 7 = 0
""")
db.commit()
