"""Load driver for bench/inspections.sh (issue 11 targets). Standard library only.

  python3 bench/inspections.py prepare-a BASE DB ENTERPRISE_ID OUT_FILE
      create, approve and start one inspection of ENTERPRISE_ID, save an outcome for
      every item, write "inspection_id token" to OUT_FILE (for wrk).
  python3 bench/inspections.py run-b BASE DB ENTERPRISE_IDS_FILE TEAMS
      one inspection per enterprise (TEAMS teams of two inspectors, round robin),
      created and approved; then TEAMS threads at once: start and the timed 50-item
      PUT …/results; 10 findings and the signatures (3 images uploaded first); then
      TEAMS threads at once, each completing its inspections (timed POST …/complete).
      Prints the latency tables; exits 1 if a request failed or the hazard count is off.

Users (made by the shell script with `anjian user add`): regulator `jianguan`,
approver `shenpi`, inspectors `zf01` … `zfNN` (team k = zf(2k+1), zf(2k+2)); the
password is $ANJIAN_BENCH_PASSWORD.
"""

import datetime
import http.client
import json
import math
import os
import sqlite3
import struct
import sys
import threading
import time
import urllib.parse
import uuid
import zlib

PASSWORD = os.environ.get("ANJIAN_BENCH_PASSWORD", "bench-password-2026")
FINDINGS = 10
FAILURES = []
LOCK = threading.Lock()


def fail(what):
    with LOCK:
        FAILURES.append(what)
        if len(FAILURES) <= 10:
            print(f"  FAILED: {what}", file=sys.stderr)


class Client:
    """One keep-alive connection per thread, bearer token, JSON in and out."""

    def __init__(self, base, token=None):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.token = token
        self.conn = None

    def request(self, method, path, body=None, content_type="application/json"):
        """(status, parsed body or text, seconds from send to the last byte read)."""
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = content_type
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                t0 = time.perf_counter()
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                raw = r.read()
                elapsed = time.perf_counter() - t0
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return r.status, parsed, elapsed

    def ok(self, method, path, body=None, content_type="application/json", what=None):
        status, parsed, elapsed = self.request(method, path, body, content_type)
        if not 200 <= status < 300:
            fail(f"{method} {path} -> {status} {str(parsed)[:400]} ({what or ''})")
            return None, elapsed
        return parsed, elapsed


def login(base, username):
    status, body, _ = Client(base).request("POST", "/api/v1/auth/login", {"username": username, "password": PASSWORD})
    if status != 200:
        sys.exit(f"login {username}: {status} {body}")
    return body["token"], body["user"]["id"]


def png(seed):
    """A small valid PNG (8×8 grey, a different shade per seed)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes([(seed * 37 + y) % 256] * 8) for y in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def upload(client, seed):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"sign{seed}.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + png(seed) + f"\r\n--{boundary}--\r\n".encode()
    a, _ = client.ok("POST", "/api/v1/attachments", body, f"multipart/form-data; boundary={boundary}", "signature image")
    return a and a["id"]


def china_today():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


def create_and_approve(reg, appr, enterprise_id, team):
    body = {"enterprise_id": enterprise_id, "kind": "planned", "inspector_ids": list(team),
            "planned_date": china_today().isoformat(), "plan_text": "基准测试：重点检查，逐项核查适用检查项。"}
    created, _ = reg.ok("POST", "/api/v1/inspections", body, what=f"create, enterprise {enterprise_id}")
    if not created:
        return None
    approved, _ = appr.ok("POST", f"/api/v1/inspections/{created['id']}/approve", {}, what="approve")
    return created["id"] if approved else None


def results_body(items, findings):
    out = []
    for n, it in enumerate(items):
        bad = n < findings
        out.append({"code": it["code"], "outcome": "non_conform" if bad else "conform",
                    "note": "现场核查发现问题" if bad else "现场核查符合要求"})
    return out


def prepare_a(base, db, enterprise_id, out_file):
    reg = Client(base, login(base, "jianguan")[0])
    appr = Client(base, login(base, "shenpi")[0])
    (t1, u1), (_, u2) = login(base, "zf01"), login(base, "zf02")
    lead = Client(base, t1)
    iid = create_and_approve(reg, appr, enterprise_id, (u1, u2))
    if iid is None:
        sys.exit(1)
    record, _ = lead.ok("POST", f"/api/v1/inspections/{iid}/start", {"latitude": 30.58, "longitude": 114.27,
                                                                    "people_present": "企业负责人、安全管理人员"})
    if not record:
        sys.exit(1)
    saved, _ = lead.ok("PUT", f"/api/v1/inspections/{iid}/results", results_body(record["items"], 0))
    if not saved:
        sys.exit(1)
    print(f"target A: inspection {iid}, enterprise {enterprise_id}, {len(record['items'])} items on its record")
    with open(out_file, "w") as f:
        f.write(f"{iid} {t1}\n")


def percentile(sorted_ms, p):
    if not sorted_ms:
        return float("nan")
    # nearest rank: the smallest value with at least p % of the samples at or below it
    k = max(0, min(len(sorted_ms) - 1, math.ceil(p / 100 * len(sorted_ms)) - 1))
    return sorted_ms[k]


def row(label, samples):
    ms = sorted(s * 1000 for s in samples)
    if not ms:
        return f"| {label} | 0 | – | – | – | – |"
    return (f"| {label} | {len(ms)} | {percentile(ms, 50):.1f} | {percentile(ms, 95):.1f} | "
            f"{percentile(ms, 99):.1f} | {ms[-1]:.1f} |")


def in_threads(work):
    threads = [threading.Thread(target=w) for w in work]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def run_b(base, db, ids_file, teams):
    enterprises = [int(x) for x in open(ids_file).read().split()]
    reg = Client(base, login(base, "jianguan")[0])
    appr_token = login(base, "shenpi")[0]
    team_logins = [(login(base, f"zf{2 * k + 1:02d}"), login(base, f"zf{2 * k + 2:02d}")) for k in range(teams)]
    mine = [[] for _ in range(teams)]   # inspection ids per team
    t0 = time.perf_counter()

    def create_for(k):
        reg_k, appr_k = Client(base, reg.token), Client(base, appr_token)
        team = (team_logins[k][0][1], team_logins[k][1][1])
        for e in enterprises[k::teams]:
            iid = create_and_approve(reg_k, appr_k, e, team)
            if iid:
                mine[k].append(iid)
    in_threads([lambda k=k: create_for(k) for k in range(teams)])
    total = sum(map(len, mine))
    print(f"created and approved {total} inspections ({teams} teams) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    put_times, item_counts = [], []
    items_of = {}

    def start_and_results(k):
        lead = Client(base, team_logins[k][0][0])
        for iid in mine[k]:
            record, _ = lead.ok("POST", f"/api/v1/inspections/{iid}/start", {"position_note": "基准测试"}, what="start")
            if not record:
                continue
            items_of[iid] = record["items"]
            saved, dt = lead.ok("PUT", f"/api/v1/inspections/{iid}/results", results_body(record["items"], FINDINGS))
            if saved:
                with LOCK:
                    put_times.append(dt)
                    item_counts.append(len(record["items"]))
    wall_put = in_threads([lambda k=k: start_and_results(k) for k in range(teams)])

    finding_times = []

    def findings_and_signatures(k):
        (t1, u1), (_, u2) = team_logins[k]
        lead = Client(base, t1)
        deadline = (china_today() + datetime.timedelta(days=30)).isoformat()
        for iid in mine[k]:
            for it in items_of.get(iid, [])[:FINDINGS]:
                body = {"item_code": it["code"], "description": "基准测试：" + it["text"][:60], "location": "生产装置区",
                        "deadline": deadline, "basis_confirmed": True}
                done, dt = lead.ok("POST", f"/api/v1/inspections/{iid}/findings", body, what="finding")
                if done:
                    with LOCK:
                        finding_times.append(dt)
            for signer, extra in (("inspector", {"user_id": u1}), ("inspector", {"user_id": u2}),
                                  ("enterprise", {"name": "王建国"})):
                a = upload(lead, iid)
                if a:
                    lead.ok("POST", f"/api/v1/inspections/{iid}/signatures", {"signer": signer, "attachment_id": a, **extra},
                            what="signature")
    t1 = time.perf_counter()
    in_threads([lambda k=k: findings_and_signatures(k) for k in range(teams)])
    print(f"findings and signatures recorded in {time.perf_counter() - t1:.1f} s", file=sys.stderr)

    complete_times = []

    def complete(k):
        lead = Client(base, team_logins[k][0][0])
        for iid in mine[k]:
            done, dt = lead.ok("POST", f"/api/v1/inspections/{iid}/complete", what="complete")
            if done:
                with LOCK:
                    complete_times.append(dt)
    wall_complete = in_threads([lambda k=k: complete(k) for k in range(teams)])

    every = [i for m in mine for i in m]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    q = ",".join("?" * len(every)) or "NULL"
    hazards = con.execute(f"select count(*) from hazards where inspection_id in ({q})", every).fetchone()[0]
    completed = con.execute(f"select count(*) from inspections where status = 'completed' and id in ({q})", every).fetchone()[0]
    expected = len(enterprises) * FINDINGS
    items = sorted(set(item_counts))
    print(f"\nTarget B — {len(enterprises)} inspections, {teams} teams working at once, "
          f"{'/'.join(map(str, items)) or '?'} items and {FINDINGS} findings each (client-side ms, keep-alive):\n")
    print("| request | count | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    print(row(f"PUT …/results ({'/'.join(map(str, items))} items), {teams} at once", put_times))
    print(row("POST …/findings (one finding; setup, not a target)", finding_times))
    print(row(f"POST …/complete ({FINDINGS} findings → ledger), {teams} at once", complete_times))
    print(f"\nwall time: results phase {wall_put:.1f} s ({len(put_times) / wall_put:.1f} saves/s), "
          f"completion phase {wall_complete:.1f} s ({len(complete_times) / wall_complete:.1f} completions/s)")
    print(f"completed inspections: {completed} of {len(enterprises)}; hazards linked to them: {hazards} (expected {expected})")
    p99 = percentile(sorted(s * 1000 for s in complete_times), 99)
    put99 = percentile(sorted(s * 1000 for s in put_times), 99)
    with open(os.environ.get("ANJIAN_BENCH_B_OUT", "/dev/null"), "w") as f:
        f.write(f"{p99:.1f} {put99:.1f} {len(complete_times)} {hazards} {expected} {len(FAILURES)} {'/'.join(map(str, items)) or '?'}\n")
    if FAILURES:
        print(f"{len(FAILURES)} request(s) failed (first: {FAILURES[0]})")
    if FAILURES or hazards != expected or completed != len(enterprises):
        sys.exit(1)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "prepare-a":
        prepare_a(args[0], args[1], int(args[2]), args[3])
    elif cmd == "run-b":
        run_b(args[0], args[1], args[2], int(args[3]))
    else:
        sys.exit(__doc__)
