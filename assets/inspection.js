// The on-site record page: each form is sent to the JSON API (with the session's
// CSRF token and an Idempotency-Key); on success the page reloads, on failure the
// messages appear in the form and what was typed stays.
(function () {
  "use strict";
  var csrf = (document.querySelector("meta[name=csrf-token]") || {}).content || "";

  function key() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
  }

  function send(method, url, body) {
    var headers = { "X-CSRF-Token": csrf, "Idempotency-Key": key() };
    var init = { method: method, headers: headers, credentials: "same-origin" };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (r) {
      return r.text().then(function (t) {
        var v = null;
        try { v = JSON.parse(t); } catch (e) { v = null; }
        if (!r.ok) { throw v || { error: { message: "保存失败（" + r.status + "）" } }; }
        return v;
      });
    });
  }

  function upload(file) {
    var fd = new FormData();
    fd.append("file", file, file.name || "photo.png");
    return send("POST", "/api/v1/attachments", fd).then(function (v) { return v.id; });
  }

  // A large file (audio, video) through the resumable upload: declared, then sent
  // in 8 MiB chunks with Content-Range; the last chunk answers with the receipt.
  var CHUNK = 8 << 20;
  function uploadChunked(file) {
    return send("POST", "/api/v1/uploads", { file_name: file.name || "media", size: file.size }).then(function (u) {
      function next(from) {
        var to = Math.min(from + CHUNK, file.size);
        var headers = { "X-CSRF-Token": csrf, "Content-Range": "bytes " + from + "-" + (to - 1) + "/" + file.size,
          "Content-Type": "application/octet-stream" };
        return fetch("/api/v1/uploads/" + u.id, { method: "PUT", headers: headers, credentials: "same-origin",
          body: file.slice(from, to) }).then(function (r) {
          return r.json().catch(function () { return null; }).then(function (v) {
            if (!r.ok) { throw v || { error: { message: "上传失败（" + r.status + "）" } }; }
            if (v && v.receipt) { return v.receipt.attachment_id; }
            return next(v && v.received ? v.received : to);
          });
        });
      }
      return next(0);
    });
  }

  function uploadAll(input) {
    var files = input && input.files ? Array.prototype.slice.call(input.files) : [];
    return Promise.all(files.map(upload));
  }

  function showErrors(form, err) {
    var box = form.querySelector(".form-errors");
    if (!box) { return; }
    var e = (err && err.error) || {};
    var lines = [];
    var fields = e.fields || {};
    Object.keys(fields).forEach(function (k) { fields[k].forEach(function (m) { lines.push(m); }); });
    if (!lines.length) { lines.push(e.message || "保存失败，请重试"); }
    box.textContent = "";
    lines.forEach(function (m) { var p = document.createElement("p"); p.textContent = m; box.appendChild(p); });
    box.hidden = false;
  }

  function value(form, name) {
    var el = form.elements[name];
    if (!el) { return null; }
    if (el.type === "checkbox") { return el.checked; }
    var v = (el.value || "").trim();
    return v === "" ? null : v;
  }

  function fields(form, names) {
    var out = {};
    names.forEach(function (n) { var v = value(form, n); if (v !== null) { out[n] = v; } });
    return out;
  }

  // A kept conflict on an item: keep the stored outcome or take the other device's.
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest("[data-resolve]") : null;
    if (!btn) { return; }
    var box = btn.closest("[data-conflict]");
    var form = btn.closest("form");
    var url = form.getAttribute("data-api").replace(/\/results$/, "/result-conflicts/" + box.getAttribute("data-conflict") + "/resolve");
    btn.disabled = true;
    send("POST", url, { resolution: btn.getAttribute("data-resolve") }).then(function () {
      window.location.reload();
    }, function (err) { btn.disabled = false; showErrors(form, err); });
  });

  var builders = {
    start: function (form) { return Promise.resolve(fields(form, ["people_present", "position_note"])); },
    results: function (form) {
      var rows = Array.prototype.slice.call(form.querySelectorAll("[data-item]"));
      return Promise.all(rows.map(function (row) {
        var picked = row.querySelector("input[type=radio]:checked");
        var note = row.querySelector("textarea, input[name=note]");
        var photo = row.querySelector("input[type=file]");
        if (!picked) { return Promise.resolve(null); }
        return uploadAll(photo).then(function (ids) {
          var item = { code: row.getAttribute("data-item"), outcome: picked.value, attachment_ids: ids };
          if (note && note.value.trim()) { item.note = note.value.trim(); }
          return item;
        });
      })).then(function (items) { return items.filter(Boolean); });
    },
    finding: function (form) {
      var body = fields(form, ["item_code", "text", "severity", "description", "location", "deadline", "category"]);
      var days = value(form, "deadline_working_days");
      if (days) { body.deadline_working_days = parseInt(days, 10); }
      body.rectified_on_spot = !!value(form, "rectified_on_spot");
      body.basis_confirmed = !!value(form, "basis_confirmed");
      if (!body.description) { body.description = ""; }
      return uploadAll(form.elements.evidence).then(function (ids) { body.evidence_attachment_ids = ids; return body; });
    },
    media: function (form) {
      var input = form.elements.media;
      var files = input && input.files ? Array.prototype.slice.call(input.files) : [];
      if (!files.length) { return Promise.reject({ error: { message: "请先选择录音或录像文件" } }); }
      var status = form.querySelector(".media-progress");
      if (status) { status.textContent = "正在上传 " + files.length + " 个文件…"; status.hidden = false; }
      return files.reduce(function (done, f) {
        return done.then(function (ids) { return uploadChunked(f).then(function (id) { return ids.concat([id]); }); });
      }, Promise.resolve([])).then(function (ids) { return { attachment_ids: ids }; });
    },
    measure: function (form) { return Promise.resolve(fields(form, ["kind", "scope_text", "basis"])); },
    refusal: function (form) {
      var body = fields(form, ["name", "witness", "reason"]);
      body.signer = "enterprise";
      body.refused = true;
      return Promise.resolve(body);
    },
    signature: function (form) {
      var canvas = form.querySelector("canvas");
      if (!canvas || !canvas.dataset.drawn) { return Promise.reject({ error: { message: "请先在签名框内手写签名" } }); }
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/png"); }).then(function (blob) {
        blob.name = "signature.png";
        return upload(blob);
      }).then(function (id) {
        var body = fields(form, ["signer", "name"]);
        var uid = value(form, "user_id");
        if (uid) { body.user_id = parseInt(uid, 10); }
        body.attachment_id = id;
        return body;
      });
    },
    empty: function () { return Promise.resolve({}); },
    verdicts: function (form) {
      var rows = Array.prototype.slice.call(form.querySelectorAll("[data-hazard]"));
      return Promise.resolve({ verdicts: rows.map(function (row) {
        var picked = row.querySelector("input[type=radio]:checked");
        var note = row.querySelector("input[name=note]");
        var v = { hazard_id: parseInt(row.getAttribute("data-hazard"), 10), passed: !!picked && picked.value === "pass" };
        if (note && note.value.trim()) { v.note = note.value.trim(); }
        return v;
      }) });
    }
  };

  function wire(form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var build = builders[form.getAttribute("data-build")] || builders.empty;
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      build(form).then(function (body) {
        return send(form.getAttribute("data-method") || "POST", form.getAttribute("data-api"), body);
      }).then(function (v) {
        var saved = form.getAttribute("data-saved");
        if (saved) { try { sessionStorage.setItem("rec-saved", saved); } catch (e) { /* no storage: no message */ } }
        var next = form.getAttribute("data-next");
        if (next && v && v.inspection_id) { window.location.href = next.replace("{id}", v.inspection_id); }
        else { window.location.reload(); }
      }).catch(function (err) {
        showErrors(form, err);
        if (button) { button.disabled = false; }
      });
    });
  }

  function pad(canvas) {
    var ctx = canvas.getContext("2d");
    var drawing = false;
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    function at(ev) {
      var r = canvas.getBoundingClientRect();
      return [(ev.clientX - r.left) * canvas.width / r.width, (ev.clientY - r.top) * canvas.height / r.height];
    }
    canvas.addEventListener("pointerdown", function (ev) {
      drawing = true;
      var p = at(ev);
      ctx.beginPath();
      ctx.moveTo(p[0], p[1]);
      canvas.setPointerCapture(ev.pointerId);
    });
    canvas.addEventListener("pointermove", function (ev) {
      if (!drawing) { return; }
      var p = at(ev);
      ctx.lineTo(p[0], p[1]);
      ctx.stroke();
      canvas.dataset.drawn = "1";
    });
    canvas.addEventListener("pointerup", function () { drawing = false; });
    var clear = canvas.parentNode.querySelector("[data-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        delete canvas.dataset.drawn;
      });
    }
  }

  function flash() {
    var box = document.getElementById("flash");
    var msg = null;
    try { msg = sessionStorage.getItem("rec-saved"); sessionStorage.removeItem("rec-saved"); } catch (e) { msg = null; }
    if (box && msg) { box.textContent = msg; box.hidden = false; }
  }

  // The browser's own file control speaks the browser's language: it is hidden
  // behind a large button in Chinese, with the chosen files' names beside it.
  function picker(input) {
    var accept = input.getAttribute("accept") || "";
    var button = document.createElement("span");
    button.className = "btn file-btn";
    button.textContent = accept.indexOf("image") === 0 ? "拍照或选择照片" : (accept.indexOf("audio") === 0 ? "选择录音或录像" : "选择文件");
    var names = document.createElement("span");
    names.className = "file-names muted";
    names.textContent = "未选择文件";
    input.classList.add("file-hidden");
    input.parentNode.insertBefore(names, input.nextSibling);
    input.parentNode.insertBefore(button, names);
    input.addEventListener("change", function () {
      var picked = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
      names.textContent = picked.length ? "已选择：" + picked.join("、") : "未选择文件";
    });
  }

  flash();
  document.querySelectorAll(".rec-form input[type=file]").forEach(picker);
  document.querySelectorAll("form[data-api]").forEach(wire);
  document.querySelectorAll("canvas.sign-pad").forEach(pad);
})();
