/* Mission Casebook finder: facet filters over the case listing already on the page.
   No dependency and no request: the listing is the data (each case carries its facets as
   data- attributes), so the page works offline and lists every case with JavaScript off.
   The selection lives in the address (?pillar=routes&level=local&q=...), so it can be shared,
   and the back button steps through it. */
(function () {
  "use strict";
  var root = document.querySelector("[data-casebook-finder]");
  if (!root) return;
  var config = JSON.parse(root.querySelector(".casebook-finder-config").textContent);
  var form = root.querySelector(".casebook-finder-controls");
  var status = root.querySelector(".casebook-finder-count");
  var list = root.querySelector(".casebook-finder-results");
  var facets = Object.keys(config.labels);
  var items = Array.prototype.map.call(list.children, function (li, position) {
    var item = { li: li, position: position, values: {} };
    facets.forEach(function (f) { item.values[f] = (li.dataset[f] || "").split(" ").filter(Boolean); });
    item.start = li.dataset.start ? +li.dataset.start : null;
    item.end = li.dataset.end ? +li.dataset.end : null;
    item.title = li.dataset.title.toLowerCase();
    item.text = li.dataset.text.toLowerCase();
    item.reviewed = li.dataset.reviewed;
    return item;
  });
  var years = items.map(function (i) { return i.start; }).filter(function (y) { return y !== null; });
  var sorts = { title: "Title (A\u2013Z)", "-start": "Started most recently", start: "Started longest ago",
    "-reviewed": "Reviewed most recently" };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* The controls, built once. */
  var search = el("input", { type: "search", id: "casebook-q", name: "q", autocomplete: "off" });
  var searchBox = el("p", { "class": "casebook-finder-search" });
  searchBox.append(el("label", { "for": "casebook-q" }, "Search titles, summaries, places and organisations"), search);
  form.append(searchBox);
  var boxes = {};
  var panels = {};
  var wide = !window.matchMedia || window.matchMedia("(min-width: 46em)").matches;
  facets.forEach(function (facet, position) {
    var values = Object.keys(config.labels[facet]);
    if (!values.length) return;
    /* Each facet folds away, so the results stay near the top; on a wide screen the first two
       start open, on a phone none does. */
    var panel = el("details", { "class": "casebook-facet-panel" });
    if (position < 2 && wide) panel.open = true;
    var summary = el("summary", {}, config.names[facet]);
    var chosenCount = el("span", { "class": "casebook-facet-chosen" });
    summary.append(chosenCount);
    panel.append(summary);
    panels[facet] = { panel: panel, chosen: chosenCount };
    var set = el("fieldset", { "class": "casebook-facet" });
    set.append(el("legend", { "class": "casebook-visually-hidden" }, config.names[facet]));
    boxes[facet] = {};
    values.forEach(function (value) {
      var id = "casebook-" + facet + "-" + value;
      var box = el("input", { type: "checkbox", id: id, name: facet, value: value });
      var label = el("label", { "for": id });
      var name = el("span", {}, config.labels[facet][value]);
      var count = el("span", { "class": "casebook-facet-count" });
      label.append(name, " ", count);
      var row = el("span", { "class": "casebook-facet-value" });
      row.append(box, label);
      set.append(row);
      boxes[facet][value] = { box: box, count: count };
    });
    panel.append(set);
    form.append(panel);
  });
  var range = el("fieldset", { "class": "casebook-facet casebook-years" });
  range.append(el("legend", {}, "Years"));
  var lo = Math.min.apply(null, years.length ? years : [2000]);
  var hi = new Date().getFullYear();
  var from = el("input", { type: "number", id: "casebook-from", name: "from", min: lo, max: hi, inputmode: "numeric" });
  var to = el("input", { type: "number", id: "casebook-to", name: "to", min: lo, max: hi, inputmode: "numeric" });
  range.append(el("label", { "for": "casebook-from" }, "From"), from, el("label", { "for": "casebook-to" }, "to"), to);
  form.append(range);
  var sort = el("select", { id: "casebook-sort", name: "sort" });
  Object.keys(sorts).forEach(function (key) { sort.append(el("option", { value: key }, sorts[key])); });
  var sortBox = el("p", { "class": "casebook-finder-sort" });
  sortBox.append(el("label", { "for": "casebook-sort" }, "Sort by"), sort);
  var reset = el("button", { type: "button" }, "Clear the filters");
  sortBox.append(reset);
  form.append(sortBox);
  form.hidden = false;

  /* State <-> address. */
  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("q") || "", from: params.get("from") || "", to: params.get("to") || "",
      sort: sorts[params.get("sort")] ? params.get("sort") : "title", chosen: {} };
    facets.forEach(function (f) {
      state.chosen[f] = (params.get(f) || "").split(",").filter(function (v) { return boxes[f] && boxes[f][v]; });
    });
    return state;
  }
  function stateOfForm() {
    var state = { q: search.value.trim(), from: from.value, to: to.value, sort: sort.value, chosen: {} };
    facets.forEach(function (f) {
      state.chosen[f] = Object.keys(boxes[f] || {}).filter(function (v) { return boxes[f][v].box.checked; });
    });
    return state;
  }
  function address(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    facets.forEach(function (f) { if (state.chosen[f].length) params.set(f, state.chosen[f].join(",")); });
    if (state.from) params.set("from", state.from);
    if (state.to) params.set("to", state.to);
    if (state.sort !== "title") params.set("sort", state.sort);
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  }
  function fill(state) {
    search.value = state.q; from.value = state.from; to.value = state.to; sort.value = state.sort;
    facets.forEach(function (f) {
      Object.keys(boxes[f] || {}).forEach(function (v) { boxes[f][v].box.checked = state.chosen[f].indexOf(v) >= 0; });
      if (panels[f] && state.chosen[f].length) panels[f].panel.open = true;
    });
  }

  /* Filtering, counting and sorting. */
  function passes(item, state, except) {
    if (state.q && state.q.toLowerCase().split(/\s+/).some(function (w) { return item.text.indexOf(w) < 0; })) return false;
    for (var i = 0; i < facets.length; i++) {
      var f = facets[i], chosen = state.chosen[f];
      if (f === except || !chosen.length) continue;
      if (!chosen.some(function (v) { return item.values[f].indexOf(v) >= 0; })) return false;
    }
    if (state.from || state.to) {
      if (item.start === null) return false;
      var end = item.end === null ? Infinity : item.end;
      if (state.to && item.start > +state.to) return false;
      if (state.from && end < +state.from) return false;
    }
    return true;
  }
  function order(a, b, key) {
    var desc = key.charAt(0) === "-", k = desc ? key.slice(1) : key, x, y;
    if (k === "title") return a.title < b.title ? -1 : a.title > b.title ? 1 : 0;
    x = k === "start" ? a.start : a.reviewed; y = k === "start" ? b.start : b.reviewed;
    if (x === y || (x === null && y === null)) return a.position - b.position;
    if (x === null || x === "") return 1;
    if (y === null || y === "") return -1;
    return (x < y ? -1 : 1) * (desc ? -1 : 1);
  }
  function apply(state) {
    var shown = 0;
    items.forEach(function (item) {
      var ok = passes(item, state, null);
      item.li.hidden = !ok;
      if (ok) shown += 1;
    });
    facets.forEach(function (f) {
      if (panels[f]) panels[f].chosen.textContent = state.chosen[f].length ? " (" + state.chosen[f].length + " chosen)" : "";
      Object.keys(boxes[f] || {}).forEach(function (v) {
        var n = items.filter(function (item) { return item.values[f].indexOf(v) >= 0 && passes(item, state, f); }).length;
        boxes[f][v].count.textContent = "(" + n + ")";
        boxes[f][v].box.parentNode.classList.toggle("casebook-facet-empty", n === 0);
      });
    });
    items.slice().sort(function (a, b) { return order(a, b, state.sort); })
      .forEach(function (item) { list.appendChild(item.li); });
    status.textContent = shown === items.length ? items.length + " cases" : shown + " of " + items.length + " cases";
  }
  function changed(push) {
    var state = stateOfForm();
    var target = address(state);
    if (target !== window.location.pathname + window.location.search + window.location.hash) {
      window.history[push ? "pushState" : "replaceState"](null, "", target);
    }
    apply(state);
  }

  var typing = null;
  search.addEventListener("input", function () {
    window.clearTimeout(typing);
    typing = window.setTimeout(function () { changed(false); }, 150);
  });
  form.addEventListener("change", function (event) { if (event.target !== search) changed(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); changed(true); });
  reset.addEventListener("click", function () {
    fill({ q: "", from: "", to: "", sort: "title", chosen: facets.reduce(function (o, f) { o[f] = []; return o; }, {}) });
    changed(true);
  });
  window.addEventListener("popstate", function () { var state = readState(); fill(state); apply(state); });
  var initial = readState();
  fill(initial);
  apply(initial);
})();
