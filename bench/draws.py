"""Seeds a migrated SQLite database for bench/draws.sh with bulk SQL, in one transaction.

    python3 bench/draws.py DB COUNTY ENTERPRISES INSPECTORS CONFLICTS

The database already holds the bureaus and a few imported enterprises (their rows are
the templates: every column the enterprise table has is copied, so the schema and the
enums hold) and the regulator (its password hash is copied to the inspectors). The
imported enterprises are removed; ENTERPRISES are made, all supervised by the county's
bureau, cycling through the templates' sectors and sub-types; INSPECTORS users with the
inspector role, a certificate valid through 2028-12-31 and a unique certificate number;
CONFLICTS declared conflicts between random (seeded) inspector and enterprise pairs.
"""
import random
import sqlite3
import sys

db, county, n, m, c = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
con = sqlite3.connect(db, isolation_level=None)
con.execute("pragma journal_mode = wal")
con.execute("pragma synchronous = off")
con.execute("begin")
bureau = con.execute("select id from bureaus where code = ?", (county,)).fetchone()[0]
cols = [r[1] for r in con.execute("pragma table_info(enterprises)") if r[1] != "id"]
templates = con.execute(f"select {', '.join(cols)} from enterprises order by id").fetchall()
if not templates:
    sys.exit("no imported enterprise to copy")
con.execute("delete from enterprises")
rows = []
for i in range(1, n + 1):
    t = dict(zip(cols, templates[i % len(templates)]))
    t.update(credit_code=f"91420103B{i:09d}", name=f"基准测试企业{i:07d}", region_code=county,
             supervising_bureau_id=bureau, status="operating")
    rows.append(tuple(t[k] for k in cols))
con.executemany(f"insert into enterprises ({', '.join(cols)}) values ({', '.join('?' * len(cols))})", rows)
(reg_id, pw, now) = con.execute("select id, password_hash, created_at from users where username = 'jianguan'").fetchone()
first = con.execute("select coalesce(max(id), 0) + 1 from users").fetchone()[0]
users = [(first + k, f"zf{k:05d}", pw, f"执法员{k:05d}", bureau, f"4201039{k:05d}", "2028-12-31", 0, 0, now, now)
         for k in range(1, m + 1)]
con.executemany("insert into users (id, username, password_hash, display_name, bureau_id, certificate_no, "
                "certificate_valid_until, must_change_password, disabled, created_at, updated_at) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", users)
con.executemany("insert into user_roles (user_id, role) values (?, 'inspector')", [(u[0],) for u in users])
ids = [r[0] for r in con.execute("select id from enterprises")]
rng = random.Random(12)
pairs = set()
while len(pairs) < c:
    pairs.add((first + rng.randrange(m), rng.choice(ids)))
con.executemany("insert into inspector_conflicts (user_id, enterprise_id, reason, declared_by, declared_at) "
                "values (?, ?, '近亲属在该企业任职', ?, ?)", [(u, e, reg_id, now) for u, e in sorted(pairs)])
con.execute("commit")
con.execute("pragma wal_checkpoint(truncate)")
con.execute("pragma journal_mode = delete")
print(f"seeded {n} enterprises, {m} inspectors, {len(pairs)} conflicts in bureau {county} (id {bureau})")
