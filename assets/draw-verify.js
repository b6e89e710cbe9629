// The browser verifier of double-random draws (双随机抽取): anjian-sampler-v1 as
// `src/draw/SAMPLER.md` defines it, written from that document alone — SHA-256,
// the ChaCha20 stream, uniform integers by rejection, selection within strata
// and team forming — so that a proof is re-run on the reader's own machine.
//
// Decisions where the document is silent:
// - No `crypto.subtle` (absent on plain http): SHA-256 and ChaCha20 are here.
// - Everything hashed is written into one growing byte buffer and hashed once.
// - A mismatch names the JSON field that failed its check, as a path
//   (`hashes.pool`, `enterprises[3].id`, `result.tasks[0].certificate_nos`):
//   a changed secret fails `commitment`, a changed entropy fails `seed`.
// - A proof not yet executed (no `secret`, `seed` nor `result`) is checked up to
//   its hashes and reported as committed, not as verified.
// - `inspector_ids` is checked when the proof carries it or any inspector has a
//   user id; the teams' user ids are compared when the inspectors carry them.
(function () {
  "use strict";

  // ---- SHA-256 (FIPS 180-4) ----
  var K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ]);

  function compress(H, W, b, o) {
    var i, t1, t2;
    for (i = 0; i < 16; i++, o += 4) {
      W[i] = (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
    }
    for (i = 16; i < 64; i++) {
      var x = W[i - 15], y = W[i - 2];
      var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    var a = H[0], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7], bb = H[1];
    for (i = 0; i < 64; i++) {
      t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
        ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
    }
    H[0] = (H[0] + a) | 0; H[1] = (H[1] + bb) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
    H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
  }

  /** SHA-256 of `len` bytes of `bytes` (a Uint8Array); the 32-byte digest. */
  function sha256(bytes, len) {
    if (len === undefined) { len = bytes.length; }
    var H = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    var W = new Int32Array(64);
    var full = len - (len % 64), o;
    for (o = 0; o < full; o += 64) { compress(H, W, bytes, o); }
    var rest = len - full;
    var tail = new Uint8Array(rest < 56 ? 64 : 128);
    tail.set(bytes.subarray(full, len));
    tail[rest] = 0x80;
    var hi = Math.floor(len / 0x20000000), lo = (len << 3) >>> 0, end = tail.length;
    tail[end - 8] = hi >>> 24; tail[end - 7] = hi >>> 16; tail[end - 6] = hi >>> 8; tail[end - 5] = hi;
    tail[end - 4] = lo >>> 24; tail[end - 3] = lo >>> 16; tail[end - 2] = lo >>> 8; tail[end - 1] = lo;
    for (o = 0; o < end; o += 64) { compress(H, W, tail, o); }
    var out = new Uint8Array(32);
    for (var i = 0; i < 8; i++) {
      out[4 * i] = H[i] >>> 24; out[4 * i + 1] = H[i] >>> 16; out[4 * i + 2] = H[i] >>> 8; out[4 * i + 3] = H[i];
    }
    return out;
  }

  var HEX = "0123456789abcdef";
  function hex(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) { s += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15]; }
    return s;
  }
  function unhex(s) {
    if (typeof s !== "string" || !/^[0-9a-f]{64}$/.test(s)) { return null; }
    var out = new Uint8Array(32);
    for (var i = 0; i < 32; i++) { out[i] = parseInt(s.substr(2 * i, 2), 16); }
    return out;
  }

  // ---- ChaCha20 (RFC 8439 §2.3) ----
  function rotl(x, n) { return (x << n) | (x >>> (32 - n)); }

  /** One block: `key` 8 words, `counter`, `nonce` 3 words; 16 output words into `out`. */
  function chachaBlock(key, counter, nonce, out) {
    var s = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
      key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7],
      counter | 0, nonce[0], nonce[1], nonce[2]];
    var x = s.slice();
    function qr(a, b, c, d) {
      x[a] = (x[a] + x[b]) | 0; x[d] = rotl(x[d] ^ x[a], 16);
      x[c] = (x[c] + x[d]) | 0; x[b] = rotl(x[b] ^ x[c], 12);
      x[a] = (x[a] + x[b]) | 0; x[d] = rotl(x[d] ^ x[a], 8);
      x[c] = (x[c] + x[d]) | 0; x[b] = rotl(x[b] ^ x[c], 7);
    }
    for (var r = 0; r < 10; r++) {
      qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15);
      qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14);
    }
    for (var i = 0; i < 16; i++) { out[i] = (x[i] + s[i]) >>> 0; }
    return out;
  }

  function wordsLE(bytes) {
    var w = new Array(bytes.length / 4);
    for (var i = 0; i < w.length; i++) {
      w[i] = bytes[4 * i] | (bytes[4 * i + 1] << 8) | (bytes[4 * i + 2] << 16) | (bytes[4 * i + 3] << 24);
    }
    return w;
  }

  /** The 64 keystream bytes of one block (for the RFC 8439 vectors). */
  function chacha20Block(keyBytes, counter, nonceBytes) {
    var out = chachaBlock(wordsLE(keyBytes), counter, wordsLE(nonceBytes), new Uint32Array(16));
    var b = new Uint8Array(64);
    for (var i = 0; i < 16; i++) {
      b[4 * i] = out[i]; b[4 * i + 1] = out[i] >>> 8; b[4 * i + 2] = out[i] >>> 16; b[4 * i + 3] = out[i] >>> 24;
    }
    return b;
  }

  /** ChaCha20 encryption (RFC 8439 §2.4): `data` XOR the keystream from `counter`. */
  function chacha20Xor(keyBytes, counter, nonceBytes, data) {
    var out = new Uint8Array(data.length);
    for (var o = 0; o < data.length; o += 64, counter++) {
      var ks = chacha20Block(keyBytes, counter, nonceBytes);
      for (var i = 0; i < 64 && o + i < data.length; i++) { out[o + i] = data[o + i] ^ ks[i]; }
    }
    return out;
  }

  /** The draw's random stream (§3): key = the seed, zero nonce, counter from 0. */
  function Stream(seedBytes) {
    this.key = wordsLE(seedBytes);
    this.nonce = [0, 0, 0];
    this.counter = 0;
    this.words = new Uint32Array(16);
    this.at = 16;
  }
  Stream.prototype.next = function () {
    if (this.at === 16) {
      chachaBlock(this.key, this.counter, this.nonce, this.words);
      this.counter++;
      this.at = 0;
    }
    return this.words[this.at++];
  };
  /** An integer in [0, n) for 1 ≤ n < 2³², by rejection; always reads a word. */
  Stream.prototype.uniform = function (n) {
    var limit = 4294967296 - (4294967296 % n);
    for (;;) {
      var x = this.next();
      if (x < limit) { return x % n; }
    }
  };

  // ---- Fields (§2): one growing buffer ----
  var encoder = new TextEncoder();
  function Writer() { this.buf = new Uint8Array(1 << 16); this.len = 0; }
  Writer.prototype.room = function (n) {
    if (this.len + n <= this.buf.length) { return; }
    var size = this.buf.length * 2;
    while (size < this.len + n) { size *= 2; }
    var b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  };
  Writer.prototype.count = function (n) {
    this.room(4);
    var b = this.buf, l = this.len;
    b[l] = n >>> 24; b[l + 1] = n >>> 16; b[l + 2] = n >>> 8; b[l + 3] = n;
    this.len = l + 4;
  };
  Writer.prototype.text = function (s) {
    s = String(s);
    this.room(4 + s.length * 3);
    var at = this.len + 4, n = s.length, b = this.buf, i;
    for (i = 0; i < n; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0x80) { break; }
      b[at + i] = c;
    }
    var written = i === n ? n : encoder.encodeInto(s, b.subarray(at)).written;
    this.count(written);
    this.len += written;
  };
  Writer.prototype.raw = function (bytes) {
    this.count(bytes.length);
    this.room(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  };
  Writer.prototype.digest = function () { return sha256(this.buf, this.len); };

  function hashOf(label, fill) {
    var w = new Writer();
    w.text(label);
    fill(w);
    return w.digest();
  }


  // ---- Verifying (§6): the first mismatch, named ----
  function Mismatch(field, message) { this.field = field; this.message = message; }
  function fail(field, message) { throw new Mismatch(field, message); }
  function isInt(v) { return typeof v === "number" && Number.isSafeInteger(v) && v >= 0; }
  function isText(v) { return typeof v === "string"; }
  function needList(v, field) { if (!Array.isArray(v)) { fail(field, "缺少该列表或其类型不对"); } return v; }
  function needInt(v, field) { if (!isInt(v)) { fail(field, "应为非负整数"); } return v; }
  function needText(v, field) { if (!isText(v)) { fail(field, "应为文本"); } return v; }
  function needObject(v, field) { if (!v || typeof v !== "object" || Array.isArray(v)) { fail(field, "缺少该项或其类型不对"); } return v; }

  /** Byte-wise order of the UTF-8 encodings (UTF-16 code units differ above U+D800). */
  function cmpUtf8(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i), y = b.charCodeAt(i);
      if (x !== y) {
        if (x >= 0xd800 && y >= 0xd800) {
          x = x < 0xe000 ? x + 0x2000 : x - 0x800;
          y = y < 0xe000 ? y + 0x2000 : y - 0x800;
        }
        return x < y ? -1 : 1;
      }
    }
    return a.length - b.length;
  }

  function checkHeader(p) {
    needObject(p, "证明文件");
    if (p.format !== "anjian-draw-proof") { fail("format", "应为 anjian-draw-proof，这不是本系统的抽取证明文件"); }
    if (p.format_version !== 1) { fail("format_version", "应为 1，本验证程序不认识这一版本"); }
    if (p.algorithm !== "anjian-sampler-v1") { fail("algorithm", "应为 anjian-sampler-v1，本验证程序不认识这一算法"); }
    if (p.hash !== "sha256") { fail("hash", "应为 sha256，本验证程序不认识这一摘要算法"); }
  }

  function checkParameters(p) {
    var q = needObject(p.parameters, "parameters");
    needInt(q.team_size, "parameters.team_size");
    needText(q.specialty_rule, "parameters.specialty_rule");
    if (q.specialty_rule !== "none" && q.specialty_rule !== "sector_specialist") {
      fail("parameters.specialty_rule", "应为 none 或 sector_specialist");
    }
    if (typeof q.weighted !== "boolean") { fail("parameters.weighted", "应为 true 或 false"); }
    var strata = needList(q.strata, "parameters.strata"), keys = new Map();
    keys.misordered = -1;
    for (var i = 0; i < strata.length; i++) {
      var s = needObject(strata[i], "parameters.strata[" + i + "]"), at = "parameters.strata[" + i + "]";
      needText(s.key, at + ".key"); needInt(s.size, at + ".size"); needInt(s.count, at + ".count");
      if (i > 0 && keys.misordered < 0 && cmpUtf8(strata[i - 1].key, s.key) >= 0) { keys.misordered = i; }
      if (!keys.has(s.key)) { keys.set(s.key, { at: at, size: s.size, count: s.count, members: [], weight: 0 }); }
    }
    return keys;
  }

  function checkEnterprises(ents) {
    for (var i = 0; i < ents.length; i++) {
      var e = needObject(ents[i], "enterprises[" + i + "]"), at = "enterprises[" + i + "]";
      needInt(e.id, at + ".id"); needText(e.credit_code, at + ".credit_code");
      needText(e.stratum, at + ".stratum"); needText(e.sector, at + ".sector"); needInt(e.weight, at + ".weight");
      if (i > 0 && ents[i - 1].id >= e.id) { fail(at + ".id", "企业名录应按 id 升序排列且不重复"); }
    }
  }

  function checkInspectors(insp) {
    var byCert = new Map();
    for (var i = 0; i < insp.length; i++) {
      var x = needObject(insp[i], "inspectors[" + i + "]"), at = "inspectors[" + i + "]";
      needText(x.certificate_no, at + ".certificate_no");
      if (x.user_id !== undefined && x.user_id !== null) { needInt(x.user_id, at + ".user_id"); }
      var sp = needList(x.specialties, at + ".specialties");
      for (var j = 0; j < sp.length; j++) {
        needText(sp[j], at + ".specialties[" + j + "]");
        if (j > 0 && cmpUtf8(sp[j - 1], sp[j]) >= 0) { fail(at + ".specialties[" + j + "]", "专业应按字节排序且不重复"); }
      }
      if (i > 0 && cmpUtf8(insp[i - 1].certificate_no, x.certificate_no) >= 0) {
        fail(at + ".certificate_no", "执法人员名录应按执法证号排序且不重复");
      }
      byCert.set(x.certificate_no, i);
    }
    return byCert;
  }

  function checkExclusions(ex, ineligible) {
    for (var i = 0; i < ex.length; i++) {
      var x = needObject(ex[i], "exclusions[" + i + "]"), at = "exclusions[" + i + "]";
      needInt(x.enterprise_id, at + ".enterprise_id"); needText(x.certificate_no, at + ".certificate_no");
      var y = ex[i - 1];
      if (i > 0 && (y.enterprise_id > x.enterprise_id ||
          (y.enterprise_id === x.enterprise_id && cmpUtf8(y.certificate_no, x.certificate_no) >= 0))) {
        fail(at, "回避关系应按企业 id、执法证号排序且不重复");
      }
    }
    for (i = 0; i < ineligible.length; i++) {
      var z = needObject(ineligible[i], "ineligible[" + i + "]"), here = "ineligible[" + i + "]";
      needInt(z.id, here + ".id"); needText(z.credit_code, here + ".credit_code"); needText(z.reason, here + ".reason");
      if (i > 0 && ineligible[i - 1].id >= z.id) { fail(here + ".id", "未入库企业应按 id 升序排列且不重复"); }
    }
  }

  /** All inspectors carry a user id (a full proof) or none does (a public one). */
  function checkUserIds(insp) {
    var n = insp.filter(function (x) { return x.user_id !== undefined && x.user_id !== null; }).length;
    if (n !== 0 && n !== insp.length) {
      var i = insp.findIndex(function (x) { return x.user_id === undefined || x.user_id === null; });
      fail("inspectors[" + i + "].user_id", "应全部执法人员都有用户编号，或全部都没有");
    }
  }

  /** Every enterprise in a stratum of the list, with a weight in range; each stratum's size and count. */
  function checkStrata(p, keys) {
    var ents = p.enterprises, i;
    for (i = 0; i < ents.length; i++) {
      var s = keys.get(ents[i].stratum), w = ents[i].weight, at = "enterprises[" + i + "]";
      if (!s) { fail(at + ".stratum", "不是 parameters.strata 中的分层"); }
      if (w < 1 || w > 1000) { fail(at + ".weight", "权重应为 1 至 1000"); }
      if (!p.parameters.weighted && w !== 1) { fail(at + ".weight", "未启用权重（parameters.weighted），权重应为 1"); }
      s.members.push(i);
      s.weight += w;
    }
    keys.forEach(function (st) {
      if (st.members.length !== st.size) { fail(st.at + ".size", "该分层实有 " + st.members.length + " 家企业"); }
      if (st.count > st.size) { fail(st.at + ".count", "抽取数超过分层企业数"); }
      if (st.weight >= 4294967296) { fail(st.at, "分层的权重总和应小于 2³²"); }
    });
  }

  /** §6.1–6.2: the header, the canonical lists and their consistency. */
  function checkLists(p) {
    var keys = checkParameters(p);
    var ents = needList(p.enterprises, "enterprises");
    checkEnterprises(ents);
    var insp = needList(p.inspectors, "inspectors");
    var byCert = checkInspectors(insp);
    var ex = needList(p.exclusions, "exclusions"), inel = needList(p.ineligible, "ineligible");
    checkExclusions(ex, inel);
    if (keys.misordered >= 0) { fail("parameters.strata[" + keys.misordered + "].key", "分层应按键值排序且不重复"); }
    checkUserIds(insp);
    checkStrata(p, keys);
    var byId = new Map(), blocked = new Map(), i;
    for (i = 0; i < ents.length; i++) { byId.set(ents[i].id, i); }
    for (i = 0; i < ex.length; i++) {
      var e = byId.get(ex[i].enterprise_id), c = byCert.get(ex[i].certificate_no);
      if (e === undefined) { fail("exclusions[" + i + "].enterprise_id", "回避关系中的企业不在企业名录中"); }
      if (c === undefined) { fail("exclusions[" + i + "].certificate_no", "回避关系中的执法证号不在执法人员名录中"); }
      if (!blocked.has(e)) { blocked.set(e, []); }
      blocked.get(e).push(c);
    }
    return { keys: keys, blocked: blocked };
  }

  // ---- §2: the hashes ----
  function poolHashes(p) {
    var ents = p.enterprises, insp = p.inspectors, q = p.parameters;
    var h = {};
    h.enterprises = hashOf("anjian-draw-v1/enterprises", function (w) {
      w.count(ents.length);
      for (var i = 0; i < ents.length; i++) {
        var e = ents[i];
        w.text(e.id); w.text(e.credit_code); w.text(e.stratum); w.text(e.sector); w.text(e.weight);
      }
    });
    h.inspectors = hashOf("anjian-draw-v1/inspectors", function (w) {
      w.count(insp.length);
      for (var i = 0; i < insp.length; i++) {
        var sp = insp[i].specialties;
        w.text(insp[i].certificate_no); w.count(sp.length);
        for (var j = 0; j < sp.length; j++) { w.text(sp[j]); }
      }
    });
    h.exclusions = hashOf("anjian-draw-v1/exclusions", function (w) {
      w.count(p.exclusions.length);
      p.exclusions.forEach(function (x) { w.text(x.enterprise_id); w.text(x.certificate_no); });
      w.count(p.ineligible.length);
      p.ineligible.forEach(function (y) { w.text(y.id); w.text(y.credit_code); w.text(y.reason); });
    });
    h.parameters = hashOf("anjian-draw-v1/parameters", function (w) {
      w.text(p.algorithm); w.text(q.team_size); w.text(q.specialty_rule); w.text(q.weighted ? "true" : "false");
      w.count(q.strata.length);
      q.strata.forEach(function (s) { w.text(s.key); w.text(s.size); w.text(s.count); });
    });
    h.pool = hashOf("anjian-draw-v1/pool", function (w) {
      w.raw(h.enterprises); w.raw(h.inspectors); w.raw(h.exclusions); w.raw(h.parameters);
    });
    return h;
  }

  var HASH_NAMES = { enterprises: "企业名录", inspectors: "执法人员名录", exclusions: "回避关系与未入库企业",
    parameters: "抽取参数", pool: "名录库", inspector_ids: "执法人员编号" };

  function compareHash(stated, computed, name) {
    var text = hex(computed);
    if (stated !== text) {
      fail("hashes." + name, "按证明文件重新计算的" + HASH_NAMES[name] + "哈希为 " + text + "，文件中为 " + String(stated));
    }
  }

  function hasUserIds(p) {
    return p.inspectors.some(function (i) { return i.user_id !== undefined && i.user_id !== null; });
  }

  /** §6.3: the five hashes (and the user ids' when present); the pool hash's bytes. */
  function checkHashes(p) {
    var stated = needObject(p.hashes, "hashes"), h = poolHashes(p);
    ["enterprises", "inspectors", "exclusions", "parameters", "pool"].forEach(function (n) {
      compareHash(stated[n], h[n], n);
    });
    if (hasUserIds(p) || (stated.inspector_ids !== undefined && stated.inspector_ids !== null)) {
      var ids = hashOf("anjian-draw-v1/inspector-ids", function (w) {
        w.count(p.inspectors.length);
        p.inspectors.forEach(function (x, i) {
          w.text(x.certificate_no); w.text(needInt(x.user_id, "inspectors[" + i + "].user_id"));
        });
      });
      compareHash(stated.inspector_ids, ids, "inspector_ids");
    }
    return h.pool;
  }

  /** §6.4: the commitment, then the seed; `null` for a draw not yet executed. */
  function checkSeed(p, pool) {
    var absent = function (v) { return v === undefined || v === null; };
    if (absent(p.secret)) {
      if (!absent(p.seed) || !absent(p.result)) { fail("secret", "有种子或抽取结果，却没有公开密钥"); }
      return null;
    }
    needText(p.secret, "secret");
    var c = hex(hashOf("anjian-draw-v1/commitment", function (w) { w.text(p.secret); }));
    if (p.commitment !== c) { fail("commitment", "密钥的哈希为 " + c + "，与抽取前公布的承诺 " + String(p.commitment) + " 不符"); }
    var entropy = absent(p.public_entropy) ? "" : needText(p.public_entropy, "public_entropy");
    var seed = hashOf("anjian-draw-v1/seed", function (w) { w.raw(pool); w.text(p.secret); w.text(entropy); });
    if (p.seed !== hex(seed)) {
      fail("seed", "由名录库哈希、密钥和公开随机数计算的种子为 " + hex(seed) + "，文件中为 " + String(p.seed));
    }
    return seed;
  }

  // ---- §4: selecting enterprises ----
  function pickUniform(stream, members, k, out) {
    var n = members.length, a = new Int32Array(n);
    for (var i = 0; i < n; i++) { a[i] = i; }
    for (var t = 0; t < k; t++) {
      var j = t + stream.uniform(n - t), x = a[t];
      a[t] = a[j]; a[j] = x;
      out.push(members[a[t]]);
    }
  }

  /** Proportional to weight; a Fenwick tree finds the member the §4.2 walk finds. */
  function pickWeighted(stream, members, k, ents, out) {
    var n = members.length, tree = new Float64Array(n + 1), total = 0, i;
    for (i = 1; i <= n; i++) {
      tree[i] += ents[members[i - 1]].weight;
      total += ents[members[i - 1]].weight;
      var up = i + (i & -i);
      if (up <= n) { tree[up] += tree[i]; }
    }
    var top = 1;
    while (top * 2 <= n) { top *= 2; }
    for (var t = 0; t < k; t++) {
      var r = stream.uniform(total), pos = 0;
      for (var step = top; step > 0; step >>= 1) {
        if (pos + step <= n && tree[pos + step] <= r) { pos += step; r -= tree[pos]; }
      }
      var w = ents[members[pos]].weight;
      out.push(members[pos]);
      total -= w;
      for (i = pos + 1; i <= n; i += i & -i) { tree[i] -= w; }
    }
  }

  // ---- §5: forming teams ----
  function formTeams(p, drawn, blocked, stream) {
    var insp = p.inspectors, m = insp.length, q = p.parameters;
    var load = new Int32Array(m), out = new Int32Array(m), mark = new Int32Array(m), teams = [];
    var bySector = new Map();
    function specialists(sector) {
      if (!bySector.has(sector)) {
        bySector.set(sector, Uint8Array.from(insp, function (x) { return x.specialties.indexOf(sector) >= 0 ? 1 : 0; }));
      }
      return bySector.get(sector);
    }
    // The eligible inspectors not marked with `stamp`, among `only` when given, with the smallest load.
    function least(stamp, only) {
      var best = 2147483647, n = 0;
      for (var i = 0; i < m; i++) {
        if (mark[i] === stamp || (only && !only[i])) { continue; }
        if (load[i] < best) { best = load[i]; n = 0; }
        if (load[i] === best) { out[n++] = i; }
      }
      return n;
    }
    for (var t = 0; t < drawn.length; t++) {
      var stamp = t + 1, team = [], ex = blocked.get(drawn[t]) || [], n, i;
      for (i = 0; i < ex.length; i++) { mark[ex[i]] = stamp; }
      var staffed = true;
      if (q.specialty_rule === "sector_specialist") {
        n = least(stamp, specialists(p.enterprises[drawn[t]].sector));
        if (n === 0) { staffed = false; } else { team.push(out[stream.uniform(n)]); }
        if (staffed) { load[team[0]]++; mark[team[0]] = stamp; }
      }
      while (staffed && team.length < q.team_size) {
        n = least(stamp, null);
        if (n === 0) { staffed = false; break; }
        var pick = out[stream.uniform(n)];
        team.push(pick); load[pick]++; mark[pick] = stamp;
      }
      if (!staffed) {
        for (i = 0; i < team.length; i++) { load[team[i]]--; }
        team = [];
      }
      teams.push(team);
    }
    return teams;
  }

  /** §3–§5: the drawn enterprises (indices) and their teams (inspector indices). */
  function rerun(p, plan, seed) {
    var stream = new Stream(seed), drawn = [];
    p.parameters.strata.forEach(function (s) {
      var members = plan.keys.get(s.key).members;
      if (p.parameters.weighted) { pickWeighted(stream, members, s.count, p.enterprises, drawn); }
      else { pickUniform(stream, members, s.count, drawn); }
    });
    return { drawn: drawn, teams: formTeams(p, drawn, plan.blocked, stream) };
  }

  function sameList(a, b) {
    if (!Array.isArray(a) || a.length !== b.length) { return false; }
    for (var i = 0; i < b.length; i++) { if (a[i] !== b[i]) { return false; } }
    return true;
  }

  /** §6.5: the stated result is exactly the re-run's. */
  function checkResult(p, run) {
    var res = needObject(p.result, "result"), tasks = needList(res.tasks, "result.tasks");
    if (tasks.length !== run.drawn.length) {
      fail("result.tasks", "重新运行抽中 " + run.drawn.length + " 家企业，文件列出 " + tasks.length + " 家");
    }
    var ids = hasUserIds(p);
    for (var i = 0; i < tasks.length; i++) {
      var t = needObject(tasks[i], "result.tasks[" + i + "]"), at = "result.tasks[" + i + "]";
      var e = p.enterprises[run.drawn[i]], team = run.teams[i];
      if (t.enterprise_id !== e.id) { fail(at + ".enterprise_id", "重新运行第 " + (i + 1) + " 家抽中的是企业 " + e.id); }
      if (t.credit_code !== e.credit_code) { fail(at + ".credit_code", "应为 " + e.credit_code); }
      var certs = team.map(function (j) { return p.inspectors[j].certificate_no; });
      if (!sameList(t.certificate_nos, certs)) {
        fail(at + ".certificate_nos", "重新运行的检查组为 " + (certs.join("、") || "（无人可派）"));
      }
      if (ids && !sameList(t.inspectors, team.map(function (j) { return p.inspectors[j].user_id; }))) {
        fail(at + ".inspectors", "检查组成员的用户编号与重新运行的结果不符");
      }
    }
  }

  // ---- The stages, in §6 order ----
  var STAGES = [
    ["核对格式与算法版本", function (c) { checkHeader(c.p); }],
    ["核对名录顺序与一致性", function (c) { c.plan = checkLists(c.p); }],
    ["重新计算名录库哈希", function (c) { c.pool = checkHashes(c.p); }],
    ["核对密钥承诺与随机种子", function (c) { c.seed = checkSeed(c.p, c.pool); }],
    ["重新运行抽取并比对结果", function (c) {
      if (c.seed) { c.run = rerun(c.p, c.plan, c.seed); checkResult(c.p, c.run); }
    }]
  ];

  function summary(c) {
    var p = c.p, s = {
      executed: !!c.seed, enterprises: p.enterprises.length, inspectors: p.inspectors.length,
      exclusions: p.exclusions.length, ineligible: p.ineligible.length, team_size: p.parameters.team_size,
      weighted: p.parameters.weighted, specialty_rule: p.parameters.specialty_rule,
      strata: p.parameters.strata.map(function (x) { return { key: x.key, size: x.size, count: x.count }; }),
      pool_hash: p.hashes.pool, commitment: p.commitment, seed: c.seed ? hex(c.seed) : null,
      sample: 0, unstaffed: 0
    };
    if (c.run) {
      s.sample = c.run.drawn.length;
      s.unstaffed = c.run.teams.filter(function (t) { return t.length === 0; }).length;
    }
    return s;
  }

  function outcome(c, err) {
    if (err instanceof Mismatch) { return { ok: false, field: err.field, message: err.message }; }
    if (err) { throw err; }
    return { ok: true, executed: !!c.seed, summary: summary(c) };
  }

  /** Verifies a parsed proof: `{ok: true, executed, summary}` or `{ok: false, field, message}`. */
  function verify(p) {
    var c = { p: p };
    try { STAGES.forEach(function (s) { s[1](c); }); } catch (e) { return outcome(c, e); }
    return outcome(c, null);
  }

  /** The same, yielding to the page between stages; `onStage(i, name)` before each. */
  function verifyAsync(p, onStage) {
    var c = { p: p }, i = 0;
    return new Promise(function (resolve, reject) {
      function step() {
        if (i === STAGES.length) { resolve(outcome(c, null)); return; }
        if (onStage) { onStage(i, STAGES[i][0]); }
        setTimeout(function () {
          try { STAGES[i][1](c); i++; step(); } catch (e) {
            try { resolve(outcome(c, e)); } catch (bad) { reject(bad); }
          }
        }, 0);
      }
      step();
    });
  }

  var api = {
    sha256: sha256, hex: hex, unhex: unhex, chacha20Block: chacha20Block, chacha20Xor: chacha20Xor,
    Stream: Stream, Writer: Writer, hashOf: hashOf, cmpUtf8: cmpUtf8,
    verify: verify, verifyAsync: verifyAsync, stages: STAGES.map(function (s) { return s[0]; }),
    // The pieces, for tests that build proofs: the hashes, the lists' plan and the re-run.
    parts: { poolHashes: poolHashes, checkLists: checkLists, rerun: rerun }
  };
  if (typeof module === "object" && module.exports) { module.exports = api; }
  if (typeof globalThis !== "undefined") { globalThis.AnjianDraw = api; }
})();

// The page `/public/draws/verify`: load a proof (a file, pasted text, or `?id=N`),
// verify it with progress, and show the verdict large. Everything from the proof is
// put into the page as text, never as markup.
(function () {
  "use strict";
  if (typeof document === "undefined") { return; }
  var SECTORS = { hazardous_chemicals: "危险化学品", fireworks: "烟花爆竹", non_coal_mine: "非煤矿山", industry_trade: "工贸" };
  function stratumName(key) {
    if (key === "all") { return "全部企业"; }
    return key.split("/").map(function (p) { return SECTORS[p] || (p.length <= 2 ? p + "类" : p); }).join(" · ");
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function setup(form) {
    var progress = document.getElementById("verify-progress");
    var box = document.getElementById("verify-result");
    var running = false;

    function stage(text, state) {
      var last = progress.lastElementChild;
      if (last && !last.className) { last.className = "done"; }
      var li = el("li", state || "", text);
      progress.appendChild(li);
      return li;
    }
    function facts(rows) {
      var dl = el("dl", "fields hashes");
      rows.forEach(function (r) { dl.appendChild(el("dt", "", r[0])); dl.appendChild(el("dd", r[2] || "", r[1])); });
      return dl;
    }
    function about(p) {
      var d = p && p.draw;
      if (!d || typeof d !== "object") { return ""; }
      return ["第 " + d.id + " 号抽取", d.bureau, d.title].filter(function (x) { return x; }).join(" · ");
    }
    function show(state, verdict, p, ms) {
      box.hidden = false;
      box.className = "verify-result " + state;
      box.dataset.state = state;
      box.dataset.ms = String(Math.round(ms));
      box.textContent = "";
      box.appendChild(el("p", "verdict", verdict));
      if (box.scrollIntoView) { box.scrollIntoView({ block: "nearest" }); }
      var what = about(p);
      if (what) { box.appendChild(el("p", "", what)); }
    }
    function showSummary(r, p, ms) {
      var s = r.summary, teams = s.sample - s.unstaffed;
      show(s.executed ? "ok" : "committed", s.executed ? "验证通过" : "名录核对通过，尚未抽取", p, ms);
      var rows = [
        ["企业名录", s.enterprises + " 家（未入库 " + s.ineligible + " 家）"],
        ["执法人员名录", s.inspectors + " 名（回避关系 " + s.exclusions + " 对）"],
        ["分层", s.strata.map(function (x) { return stratumName(x.key) + " " + x.count + "/" + x.size; }).join("；")],
        ["抽取方式", s.weighted ? "按权重抽取" : "各层内等概率抽取"]
      ];
      if (s.executed) {
        rows.push(["抽中企业", s.sample + " 家"]);
        rows.push(["检查组", teams + " 个，每组 " + s.team_size + " 人" + (s.unstaffed ? "；" + s.unstaffed + " 家无可派人员" : "")]);
      }
      rows.push(["名录库哈希", s.pool_hash, "hash"], ["密钥承诺", s.commitment, "hash"]);
      if (s.seed) { rows.push(["随机种子", s.seed, "hash"]); }
      rows.push(["用时", (ms / 1000).toFixed(2) + " 秒"]);
      box.appendChild(facts(rows));
    }
    function showFailure(field, message, p, ms) {
      show("failed", "验证未通过", p, ms);
      box.dataset.field = field;
      var line = el("p", "", "第一处不一致：");
      line.appendChild(el("span", "field-name", field));
      line.appendChild(document.createTextNode(" —— " + message));
      box.appendChild(line);
    }

    function run(text) {
      if (running) { return; }
      running = true;
      progress.textContent = "";
      box.hidden = true;
      delete box.dataset.field;
      var t0 = performance.now(), p;
      stage("读取证明文件");
      setTimeout(function () {
        try { p = JSON.parse(text); } catch (e) {
          stage("读取证明文件失败", "failed");
          showFailure("证明文件", "不是有效的证明文件（JSON 格式错误）", null, performance.now() - t0);
          running = false;
          return;
        }
        AnjianDraw.verifyAsync(p, function (i, name) { stage(name); }).then(function (r) {
          var ms = performance.now() - t0;
          if (r.ok) { stage("全部核对完毕"); progress.lastElementChild.className = "done"; showSummary(r, p, ms); }
          else { progress.lastElementChild.className = "failed"; showFailure(r.field, r.message, p, ms); }
          running = false;
        }, function () {
          showFailure("证明文件", "证明文件内容不完整，无法核对", p, performance.now() - t0);
          running = false;
        });
      }, 0);
    }

    var file = document.getElementById("proof-file"), pasted = document.getElementById("proof-text");
    function readFile() {
      var f = file.files && file.files[0];
      if (!f) { return false; }
      document.getElementById("proof-file-name").textContent = f.name;
      f.text().then(run);
      return true;
    }
    file.addEventListener("change", readFile);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (pasted.value.trim()) { run(pasted.value); }
      else if (!readFile()) { showFailure("证明文件", "请先选择或粘贴证明文件", null, 0); }
    });
    var url = form.dataset.proofUrl;
    if (url) {
      stage("下载证明文件");
      fetch(url, { credentials: "omit" }).then(function (res) {
        if (!res.ok) { throw new Error(String(res.status)); }
        return res.text();
      }).then(run, function () {
        showFailure("证明文件", "无法载入证明文件：该抽取不存在，或网络连接中断", null, 0);
      });
    }
  }

  function start() {
    var form = document.getElementById("verify-form");
    if (form) { setup(form); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
