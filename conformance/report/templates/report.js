/* conformance report: the case browser.
 * Plain DOM, no framework, no build step. Data from the results only ever
 * reaches the page through textContent, title, value and dataset. */
(function () {
  "use strict";

  var PAGE = 100;
  var CACHED_CHUNKS = 8;
  var INPUT = "input";
  var doc = document;
  var root = doc.documentElement;

  function byId(id) { return doc.getElementById(id); }

  /* Text as shown: controls (C0 but tab and line feed, DEL, C1) and the bidi embeddings,
   * overrides and isolates become \u escapes; raw, they would reorder what is read. */
  var CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
  function visible(text) {
    return String(text).replace(/\r\n/g, "\n").replace(CONTROLS, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  function el(tag, cls, text) {
    var node = doc.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = visible(text);
    return node;
  }

  function statusClass(status) { return "st-" + String(status).replace(/[^a-z0-9-]/gi, "_"); }

  function count(n) { return Number(n).toLocaleString("en-US"); }

  function clip(text, max) {
    return text.length > max ? text.slice(0, max - 1) + "\u2026" : text;
  }

  /* JSON text -> tree, keeping every number token as written (JSON.parse would not). */
  function parseJson(text) {
    var i = 0;
    var NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    function fail(what) { throw new Error(what + " at offset " + i); }
    function space() {
      for (;;) {
        var c = text.charCodeAt(i);
        if (c === 32 || c === 9 || c === 10 || c === 13) i++; else return;
      }
    }
    function string() {
      var start = i;
      i++;
      for (;;) {
        var c = text.charCodeAt(i);
        if (c === 34) break;
        if (i >= text.length) fail("unterminated string");
        i += c === 92 ? 2 : 1;
      }
      i++;
      return JSON.parse(text.slice(start, i));
    }
    function expect(ch) {
      space();
      if (text[i] !== ch) fail("expected " + ch);
      i++;
    }
    function value() {
      space();
      var c = text[i];
      if (c === "{") {
        i++;
        var keys = [], values = [];
        space();
        if (text[i] === "}") { i++; return { t: "o", k: keys, v: values }; }
        for (;;) {
          space();
          if (text[i] !== '"') fail("expected a key");
          keys.push(string());
          expect(":");
          values.push(value());
          space();
          if (text[i] === ",") { i++; continue; }
          expect("}");
          return { t: "o", k: keys, v: values };
        }
      }
      if (c === "[") {
        i++;
        var items = [];
        space();
        if (text[i] === "]") { i++; return { t: "a", v: items }; }
        for (;;) {
          items.push(value());
          space();
          if (text[i] === ",") { i++; continue; }
          expect("]");
          return { t: "a", v: items };
        }
      }
      if (c === '"') return { t: "s", v: string() };
      if (text.startsWith("true", i)) { i += 4; return { t: "b", v: "true" }; }
      if (text.startsWith("false", i)) { i += 5; return { t: "b", v: "false" }; }
      if (text.startsWith("null", i)) { i += 4; return { t: "z", v: "null" }; }
      NUMBER.lastIndex = i;
      var m = NUMBER.exec(text);
      if (!m) fail("unexpected character");
      i = NUMBER.lastIndex;
      return { t: "n", v: m[0] };
    }
    var tree = value();
    space();
    if (i !== text.length) fail("trailing text");
    return tree;
  }

  function pathText(path) {
    var out = "$";
    path.forEach(function (seg) {
      if (typeof seg === "number") out += "[" + seg + "]";
      else if (seg === "*") out += "[*]";
      else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += "." + seg;
      else out += "[" + JSON.stringify(seg) + "]";
    });
    return out;
  }

  /* ---- data ---- */
  var index = JSON.parse(byId("conformance-index").textContent);
  var chunks = JSON.parse(byId("conformance-details").textContent);
  var T = index.targets, S = index.statuses, K = index.kinds, M = index.models, G = index.groups;
  var cases = index.cases;
  var conventions = index.conventions || {}, styles = index.styles || {};
  var firstIndexOf = new Map();
  cases.forEach(function (row, i) { if (!firstIndexOf.has(row[0])) firstIndexOf.set(row[0], i); });

  var cache = new Map();
  function inflate(b64) {
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("this browser cannot inflate the case details (no DecompressionStream)"));
    }
    var bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }
  /* A chunk: its cases' details as one JSON array, the names its renamed native views take
   * (convention -> [[key, native key], ...]), then the cases' payload texts, one a line, in
   * order (JSON text, never a line break in it); each case's "texts" counts its own. */
  function parseChunk(text) {
    var lines = text.split("\n"), details = JSON.parse(lines[0]), names = JSON.parse(lines[1]);
    var at = 2;
    details.forEach(function (d) {
      var n = d.texts;
      d.texts = lines.slice(at, at + n);
      d.names = names;
      at += n;
    });
    return details;
  }
  function loadChunk(n) {
    if (!cache.has(n)) {
      if (cache.size >= CACHED_CHUNKS) cache.delete(cache.keys().next().value);
      cache.set(n, inflate(chunks[n]).then(parseChunk));
    }
    return cache.get(n);
  }

  /* ---- filters ---- */
  var form = byId("filters"), list = byId("case-list"), counter = byId("case-count"), more = byId("case-more");
  var f = { q: byId("f-q"), target: byId("f-target"), model: byId("f-model"), status: byId("f-status"),
    kind: byId("f-kind"), group: byId("f-group") };
  var state = { q: "", target: -1, model: -1, status: -1, kind: -1, group: -1 };
  var matches = [], shown = 0;

  function option(select, value, label) {
    var o = el("option", null, label);
    o.value = String(value);
    select.appendChild(o);
  }
  T.forEach(function (name, i) { option(f.target, i, name); });
  M.map(function (name, i) { return [name, i]; })
    .sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; })
    .forEach(function (pair) { option(f.model, pair[1], pair[0]); });
  S.forEach(function (name, i) { option(f.status, i, name); });
  var seenKinds = 0;
  cases.forEach(function (row) { for (var j = 2; j < row[5].length; j += 3) seenKinds |= row[5][j]; });
  K.forEach(function (name, i) { if (i < 31 && seenKinds & (1 << i)) option(f.kind, i, name); });
  G.forEach(function (g, i) {
    option(f.group, i, g[4] + "  " + g[0] + "  " + g[1] + "  " + g[2] + " vs " + g[3] + "  (" + count(g[5]) + ")");
  });

  function readForm() {
    state.q = f.q.value.trim();
    ["target", "model", "status", "kind", "group"].forEach(function (name) {
      state[name] = f[name].value === "" ? -1 : Number(f[name].value);
    });
  }
  function writeForm() {
    f.q.value = state.q;
    ["target", "model", "status", "kind", "group"].forEach(function (name) {
      f[name].value = state[name] < 0 ? "" : String(state[name]);
    });
  }

  function matchRow(row, q) {
    if (q && row[0].toLowerCase().indexOf(q) < 0) return false;
    if (state.model >= 0 && row[1] !== state.model) return false;
    if (state.group >= 0 && row[6].indexOf(state.group) < 0) return false;
    var bit = state.kind >= 0 ? 1 << state.kind : 0;
    if (state.target < 0 && state.status < 0 && !bit) return true;
    var results = row[5];
    for (var j = 0; j < results.length; j += 3) {
      if (state.target >= 0 && results[j] !== state.target) continue;
      if (state.status >= 0 && results[j + 1] !== state.status) continue;
      if (bit && !(results[j + 2] & bit)) continue;
      return true;
    }
    return false;
  }

  function stateHash() {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (state.target >= 0) params.set("target", T[state.target]);
    if (state.model >= 0) params.set("model", M[state.model]);
    if (state.status >= 0) params.set("status", S[state.status]);
    if (state.kind >= 0) params.set("kind", K[state.kind]);
    if (state.group >= 0) params.set("group", String(state.group));
    return params.toString();
  }

  function remember() {
    var hash = stateHash();
    try {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    } catch (ignored) { /* some file:// contexts refuse; the filters still apply */ }
  }

  function refresh() {
    var q = state.q.toLowerCase();
    matches = [];
    for (var i = 0; i < cases.length; i++) if (matchRow(cases[i], q)) matches.push(i);
    list.textContent = "";
    shown = 0;
    showMore();
  }

  function showMore(atLeast) {
    var upto = Math.min(matches.length, Math.max(shown + PAGE, atLeast || 0));
    var frag = doc.createDocumentFragment();
    for (; shown < upto; shown++) frag.appendChild(caseRow(matches[shown]));
    list.appendChild(frag);
    counter.textContent = "Showing " + count(shown) + " of " + count(matches.length) + " matching case(s); " +
      count(cases.length) + " in all. Cases with errors and divergences come first.";
    more.hidden = shown >= matches.length;
  }

  /* ---- case rows ---- */
  function caseRow(i) {
    var row = cases[i];
    var wrap = el("div", "case");
    wrap.dataset.index = String(i);
    wrap.dataset.case = row[0];
    var head = el("button", "case-head");
    head.type = "button";
    head.setAttribute("aria-expanded", "false");
    head.appendChild(el("span", "caret", "\u25b8"));
    var dots = el("span", "dots"), mask = 0;
    for (var j = 0; j < row[5].length; j += 3) {
      var dot = el("span", "dot " + statusClass(S[row[5][j + 1]]));
      dot.title = visible(T[row[5][j]] + ": " + S[row[5][j + 1]]);
      dots.appendChild(dot);
      mask |= row[5][j + 2];
    }
    head.appendChild(dots);
    head.appendChild(el("span", "cid", row[0]));
    head.appendChild(el("span", "cmodel", M[row[1]]));
    var kinds = el("span", "ckinds");
    K.forEach(function (name, k) { if (k < 31 && mask & (1 << k)) kinds.appendChild(el("span", "kind", name)); });
    head.appendChild(kinds);
    var body = el("div", "case-body");
    body.hidden = true;
    head.addEventListener("click", function () {
      if (body.hidden) openCase(wrap); else closeCase(wrap);
    });
    wrap.appendChild(head);
    wrap.appendChild(body);
    return wrap;
  }

  function closeCase(wrap) {
    wrap.lastChild.hidden = true;
    wrap.firstChild.setAttribute("aria-expanded", "false");
    wrap.firstChild.firstChild.textContent = "\u25b8";
  }

  function openCase(wrap) {
    var head = wrap.firstChild, body = wrap.lastChild;
    body.hidden = false;
    head.setAttribute("aria-expanded", "true");
    head.firstChild.textContent = "\u25be";
    if (wrap.dataset.loaded) return Promise.resolve();
    var row = cases[Number(wrap.dataset.index)];
    body.textContent = "loading\u2026";
    return loadChunk(row[2]).then(function (details) {
      body.textContent = "";
      body.appendChild(renderCase(details[row[3]]));
      wrap.dataset.loaded = "true";
    }).catch(function (error) {
      body.textContent = visible("Cannot show this case: " + error.message);
    });
  }

  /* ---- one case ---- */
  function sides(name, dv) {
    if (dv[3].indexOf(name) >= 0) return { mine: dv[4], otherTargets: dv[5], other: dv[6] };
    if (dv[5].indexOf(name) >= 0) return { mine: dv[6], otherTargets: dv[3], other: dv[4] };
    return null;
  }

  function mark(dv, side) {
    return { path: dv[0], kind: dv[1], severity: dv[2], mine: side.mine, other: side.other,
      otherTargets: side.otherTargets, detail: dv[7], reason: dv[8] };
  }

  /* Marks for a wire pane: present values by path, absent ones by their parent's path. */
  function wireMarks(name, divergences) {
    var here = new Map(), ghosts = new Map();
    divergences.forEach(function (dv) {
      if (dv[1] === "accept" || dv[1] === "naming") return;
      var side = sides(name, dv);
      if (!side) return;
      var m = mark(dv, side);
      if (side.mine === null && dv[0].length) {
        var parent = JSON.stringify(dv[0].slice(0, -1));
        if (!ghosts.has(parent)) ghosts.set(parent, []);
        ghosts.get(parent).push(m);
      } else if (side.mine !== null) {
        var key = JSON.stringify(dv[0]);
        if (!here.has(key)) here.set(key, []);
        here.get(key).push(m);
      }
    });
    return { here: here, ghosts: ghosts };
  }

  function normal(key) { return String(key).toLowerCase().replace(/[^a-z0-9]/g, ""); }

  /* A wire path inside a native view: keys matched by their words (finish_reason ~ finishReason). */
  function nativePath(tree, path, lastKey) {
    var node = tree, out = [];
    for (var i = 0; i < path.length; i++) {
      var seg = path[i];
      if (node.t === "a" && typeof seg === "number") {
        if (seg >= node.v.length) return null;
        out.push(seg);
        node = node.v[seg];
        continue;
      }
      if (node.t !== "o") return null;
      var want = i === path.length - 1 && lastKey !== null ? lastKey : null, found = -1;
      for (var j = 0; j < node.k.length && found < 0; j++) {
        if (want !== null ? node.k[j] === want : normal(node.k[j]) === normal(seg)) found = j;
      }
      if (found < 0) return null;
      out.push(node.k[found]);
      node = node.v[found];
    }
    return out;
  }

  function nativeMarks(tree, name, divergences) {
    var here = new Map();
    divergences.forEach(function (dv) {
      if (dv[1] === "accept") return;
      var side = sides(name, dv);
      if (!side || side.mine === null) return;
      var lastKey = null;
      if (dv[1] === "naming") {
        try { lastKey = JSON.parse(side.mine); } catch (ignored) { return; }
      }
      var path = nativePath(tree, dv[0], typeof lastKey === "string" ? lastKey : null);
      if (!path) return;
      var key = JSON.stringify(path);
      if (!here.has(key)) here.set(key, []);
      here.get(key).push(mark(dv, side));
    });
    return { here: here, ghosts: new Map() };
  }

  function keyPart(line, key) {
    if (key === null) return;
    if (typeof key === "number") {
      line.appendChild(el("span", "p", "[" + key + "] "));
      return;
    }
    line.appendChild(el("span", "k", JSON.stringify(key)));
    line.appendChild(el("span", "p", ": "));
  }

  function scalar(node) {
    if (node.t === "s") return el("span", "s", JSON.stringify(node.v));
    return el("span", node.t, node.v);
  }

  function severity(value) { return value === "note" || value === "expected" ? value : "fail"; }

  function badge(m) {
    var who = m.otherTargets.join(", ");
    var text = m.kind + ": " + who + (m.other === null ? " has none" : " has " + clip(m.other, 80));
    var b = el("span", "badge " + severity(m.severity), text);
    b.title = visible((m.detail || "") + (m.reason ? " (" + m.reason + ")" : ""));
    return b;
  }

  function highlight(target, line, marks) {
    var levels = marks.map(function (m) { return severity(m.severity); });
    var worst = ["fail", "expected", "note"].filter(function (l) { return levels.indexOf(l) >= 0; })[0];
    target.classList.add("hl-" + worst);
    target.dataset.path = pathText(marks[0].path);
    target.dataset.kind = marks.map(function (m) { return m.kind; }).join(" ");
    marks.forEach(function (m) { line.appendChild(badge(m)); });
  }

  function renderJson(tree, marks) {
    var out = el("div", "json");
    emit(out, tree, null, [], true);
    return out;

    function emit(parent, node, key, path, last) {
      var pk = JSON.stringify(path);
      var here = marks.here.get(pk), ghosts = marks.ghosts.get(pk) || [];
      var comma = last ? "" : ",";
      var container = node.t === "o" || node.t === "a";
      if (container && (node.v.length || ghosts.length)) {
        var block = el("div", "blk"), open = el("div", "ln"), kids = el("div", "kids");
        keyPart(open, key);
        open.appendChild(el("span", "p", node.t === "o" ? "{" : "["));
        block.appendChild(open);
        for (var i = 0; i < node.v.length; i++) {
          var childKey = node.t === "o" ? node.k[i] : i;
          emit(kids, node.v[i], node.t === "o" ? childKey : null, path.concat([childKey]),
            i === node.v.length - 1 && !ghosts.length);
        }
        ghosts.forEach(function (m) { kids.appendChild(ghostLine(m)); });
        block.appendChild(kids);
        block.appendChild(el("div", "ln p", (node.t === "o" ? "}" : "]") + comma));
        if (here) highlight(block, open, here);
        parent.appendChild(block);
        return;
      }
      var line = el("div", "ln");
      keyPart(line, key);
      if (container) line.appendChild(el("span", "p", node.t === "o" ? "{}" : "[]"));
      else line.appendChild(scalar(node));
      if (comma) line.appendChild(el("span", "p", comma));
      if (here) highlight(line, line, here);
      parent.appendChild(line);
    }
  }

  function ghostLine(m) {
    var line = el("div", "ln ghost");
    keyPart(line, m.path[m.path.length - 1]);
    line.appendChild(el("span", "p", "(absent)"));
    highlight(line, line, [m]);
    return line;
  }

  /* A native view kept as its source's text: every object key renamed by pairs [key, native
   * key]; a key two keys rename to keeps the later value at the earlier place, as the Python
   * dict the tool builds does (compact.renamed). */
  function renamer(pairs) {
    var names = new Map(pairs);
    return function rename(node) {
      if (node.t === "a") return { t: "a", v: node.v.map(rename) };
      if (node.t !== "o") return node;
      var keys = [], values = [], at = new Map();
      for (var i = 0; i < node.k.length; i++) {
        var key = names.has(node.k[i]) ? names.get(node.k[i]) : node.k[i];
        var value = rename(node.v[i]);
        if (at.has(key)) { values[at.get(key)] = value; continue; }
        at.set(key, keys.length);
        keys.push(key);
        values.push(value);
      }
      return { t: "o", k: keys, v: values };
    };
  }

  function jsonPane(title, note, text, marksOf, extra, shape) {
    var pane = el("div", "pane"), head = el("div", "pane-head"), body = el("div", "pane-body");
    title.forEach(function (part) { head.appendChild(part); });
    if (note) head.appendChild(el("span", "note", note));
    pane.appendChild(head);
    if (extra) pane.appendChild(extra);
    if (text !== null && text !== undefined) {
      var tree = null;
      try { tree = parseJson(text); } catch (ignored) { tree = null; }
      if (tree && shape) tree = shape(tree);
      if (tree) body.appendChild(renderJson(tree, marksOf(tree)));
      else body.appendChild(el("pre", null, text));
      pane.appendChild(body);
    }
    return pane;
  }

  function chip(status) { return el("span", "chip " + statusClass(status), status); }

  function renderCase(d) {
    var box = el("div", "detail");
    var meta = el("div", "meta");
    function fact(label, value) {
      var span = el("span");
      span.appendChild(el("b", null, label + " "));
      span.appendChild(doc.createTextNode(visible(value)));
      meta.appendChild(span);
    }
    fact("model", d.model);
    if (d.direction) fact("direction", d.direction);
    fact("expected", d.valid ? "accepted and written back unchanged" : "rejected by every target");
    if (d.source) fact("source", d.source);
    var link = el("a", null, "link to this case");
    link.href = "#case=" + encodeURIComponent(d.id);
    meta.appendChild(link);
    box.appendChild(meta);
    if (d.description) box.appendChild(el("p", "muted", d.description));

    var seen = new Set(), all = [];
    d.results.forEach(function (r) {
      r.divergences.forEach(function (dv) {
        var key = JSON.stringify(dv);
        if (!seen.has(key)) { seen.add(key); all.push(dv); }
      });
    });

    box.appendChild(el("h4", null, "Wire: input and outputs"));
    var panes = el("div", "panes");
    panes.appendChild(jsonPane([el("span", "name", "input")], "the case's payload",
      d.wire === null ? null : d.texts[d.wire], function () { return wireMarks(INPUT, all); }));
    d.results.forEach(function (r) {
      var others = r.group.filter(function (name) { return name !== r.target; });
      var note = r.state;
      if (r.wire !== null && r.wire === d.wire) note += ", same as input";
      if (r.wire === null && r.state === "accepted") note += ", wrote nothing back (it only reads this model)";
      if (others.length) note += ", agrees with " + others.join(", ");
      var extra = el("div");
      if (r.error || r.state === "error" || r.state === "skipped" || r.state === "rejected") {
        var quiet = r.state === "skipped" || r.status === "pass";
        extra.appendChild(el("div", quiet ? "errbox skip" : "errbox", r.state + (r.error ? ": " + r.error : "")));
      }
      r.divergences.forEach(function (dv) {
        if (dv[1] === "accept") extra.appendChild(el("div", "errbox", dv[7] || "accepted where the other side rejected"));
      });
      panes.appendChild(jsonPane([el("span", "name", r.target), chip(r.status)], note,
        r.wire === null ? null : d.texts[r.wire], function () { return wireMarks(r.target, r.divergences); }, extra));
    });
    box.appendChild(panes);

    var natives = d.results.filter(function (r) { return r.native !== null; });
    if (natives.length) {
      box.appendChild(el("h4", null, "Native views (each SDK's own field names)"));
      var nativePanes = el("div", "panes"), names = d.names || {};
      natives.forEach(function (r) {
        var convention = conventions[r.target];
        var style = convention ? (styles[convention] || convention) : "";
        var shape = r.renamed ? renamer(Object.prototype.hasOwnProperty.call(names, r.renamed) ? names[r.renamed] : []) : null;
        nativePanes.appendChild(jsonPane([el("span", "name", r.target)],
          style ? "native names: " + style : "native view", d.texts[r.native],
          function (tree) { return nativeMarks(tree, r.target, r.divergences); }, undefined, shape));
      });
      box.appendChild(nativePanes);
    }

    if (all.length) {
      box.appendChild(el("h4", null, "Divergences"));
      var table = el("table", "divs"), thead = el("thead"), tr = el("tr");
      ["path", "kind", "", "one side", "other side", "detail"].forEach(function (h) { tr.appendChild(el("th", null, h)); });
      thead.appendChild(tr);
      table.appendChild(thead);
      var tbody = el("tbody");
      all.forEach(function (dv) {
        var row = el("tr");
        var path = el("td");
        path.appendChild(el("code", null, pathText(dv[0])));
        row.appendChild(path);
        var kind = el("td");
        kind.appendChild(el("span", "kind", dv[1]));
        row.appendChild(kind);
        var sev = el("td");
        sev.appendChild(el("span", "sev sev-" + severity(dv[2]), dv[2]));
        row.appendChild(sev);
        [[dv[3], dv[4]], [dv[5], dv[6]]].forEach(function (side) {
          var cell = el("td");
          cell.appendChild(el("b", null, side[0].join(", ") + ": "));
          cell.appendChild(el("code", null, side[1] === null ? "(absent)" : clip(side[1], 400)));
          row.appendChild(cell);
        });
        row.appendChild(el("td", null, dv[7] + (dv[8] ? " (" + dv[8] + ")" : "")));
        tbody.appendChild(row);
      });
      table.appendChild(tbody);
      var scroll = el("div", "scroll");
      scroll.appendChild(table);
      box.appendChild(scroll);
    }

    d.results.forEach(function (r) {
      if (r.warnings.length) {
        box.appendChild(el("h4", null, "Warnings from " + r.target));
        var ul = el("ul", "warnings");
        r.warnings.forEach(function (w) { ul.appendChild(el("li", null, w)); });
        box.appendChild(ul);
      }
      if (r.stderr) {
        var det = el("details", "stderr");
        det.open = r.status === "error";
        det.appendChild(el("summary", null, "stderr of " + r.target + " (" + r.stderr.split("\n").length + " lines)"));
        det.appendChild(el("pre", null, r.stderr));
        box.appendChild(det);
      }
    });
    return box;
  }

  /* ---- hash: #case=ID opens a case; #target=..&status=.. sets filters ---- */
  function byName(names, value) { var i = names.indexOf(value); return i; }

  function findRow(i) {
    for (var node = list.firstChild; node; node = node.nextSibling) {
      if (node.dataset.index === String(i)) return node;
    }
    return null;
  }

  function openDeepLink(id) {
    var i = firstIndexOf.get(id);
    state = { q: id, target: -1, model: -1, status: -1, kind: -1, group: -1 };
    writeForm();
    refresh();
    if (i === undefined) {
      counter.textContent = visible("No case has the id " + JSON.stringify(id) + ".");
      return Promise.resolve();
    }
    var at = matches.indexOf(i);
    if (at >= shown) showMore(at + 1);
    var wrap = findRow(i);
    return openCase(wrap).then(function () {
      wrap.classList.add("target");
      var top = wrap.getBoundingClientRect().top + window.scrollY - form.offsetHeight - 8;
      window.scrollTo({ top: Math.max(top, 0) });
    });
  }

  function applyHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    if (params.has("case")) return openDeepLink(params.get("case"));
    var group = params.has("group") ? Number(params.get("group")) : -1;
    state = {
      q: params.get("q") || "",
      target: byName(T, params.get("target")),
      model: byName(M, params.get("model")),
      status: byName(S, params.get("status")),
      kind: byName(K, params.get("kind")),
      group: group >= 0 && group < G.length ? group : -1,
    };
    writeForm();
    refresh();
    if (location.hash.length > 1) byId("cases").scrollIntoView({ block: "start" });
    return Promise.resolve();
  }

  var typing = 0;
  form.addEventListener("input", function (event) {
    clearTimeout(typing);
    typing = setTimeout(function () { readForm(); refresh(); remember(); }, event.target === f.q ? 150 : 0);
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { readForm(); refresh(); remember(); }, 0);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  more.addEventListener("click", function () { showMore(); });
  window.addEventListener("hashchange", applyHash);
  doc.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a[href^='#']");
    if (a && a.getAttribute("href") === location.hash) applyHash();
  });

  form.hidden = false;
  byId("needs-js").hidden = true;
  (location.hash.length > 1 ? applyHash() : Promise.resolve(refresh())).then(function () {
    root.dataset.ready = "true";
  });
})();
