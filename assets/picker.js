// The enterprise picker (安监): type part of a name or credit code, pick one,
// and the form's hidden enterprise_id is set. Without this script the typed
// name is sent and the server finds the enterprise (or offers a choice).
(function () {
  "use strict";
  function setup(box) {
    var query = box.querySelector("[data-picker-query]");
    var hidden = box.querySelector("[data-picker-id]");
    if (!query || !hidden) { return; }
    var list = document.createElement("ul");
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.appendChild(list);
    var timer = null, seq = 0, active = -1;

    function close() { list.hidden = true; active = -1; }
    function choose(hit) {
      query.value = hit.name;
      hidden.value = String(hit.id);
      close();
      query.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function mark(i) {
      var items = list.querySelectorAll("li");
      if (!items.length) { return; }
      active = (i + items.length) % items.length;
      items.forEach(function (li, n) { li.classList.toggle("active", n === active); });
    }
    function show(hits) {
      list.textContent = "";
      if (!hits.length) {
        var none = document.createElement("li");
        none.className = "picker-none";
        none.textContent = "没有找到匹配的企业";
        list.appendChild(none);
      }
      hits.forEach(function (hit) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.className = "picker-hit";
        var name = document.createElement("strong");
        name.textContent = hit.name;
        var meta = document.createElement("span");
        meta.textContent = hit.credit_code + " · " + hit.region_name;
        li.appendChild(name);
        li.appendChild(meta);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(hit); });
        li.hit = hit;
        list.appendChild(li);
      });
      list.hidden = false;
      active = -1;
    }
    function search() {
      var text = query.value.trim();
      if (!text) { close(); return; }
      var mine = ++seq;
      fetch("/api/v1/enterprises/search?q=" + encodeURIComponent(text), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (hits) { if (mine === seq) { show(hits); } })
        .catch(function () { close(); });
    }
    query.addEventListener("input", function () {
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    query.addEventListener("keydown", function (e) {
      if (list.hidden) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); mark(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(active - 1); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        var li = list.querySelectorAll("li")[active];
        if (li && li.hit) { choose(li.hit); }
      }
    });
    query.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  document.querySelectorAll("[data-picker]").forEach(setup);
  // Dates are typed as YYYY-MM-DD whatever the browser's language: a date
  // input (whose display follows the browser's locale) becomes a text field
  // with the format shown; its value is already YYYY-MM-DD.
  document.querySelectorAll("input[type=date]").forEach(function (el) {
    el.type = "text";
    el.placeholder = "YYYY-MM-DD";
    el.inputMode = "numeric";
    el.maxLength = 10;
    el.classList.add("date");
  });
  // On phones the menu scrolls sideways: keep the current section in view.
  var current = document.querySelector(".mainnav a.active");
  if (current && current.scrollIntoView) { current.scrollIntoView({ block: "nearest", inline: "center" }); }
})();
