/* The browse page: filter the story cards in place by facet and words, keep the selection in the URL.
 *
 * The page already lists every story, grouped by stage (that is the page without a script). This
 * shows the filters, reads the selection from the URL (?place=riverside&place=other-place&person=x&q=word:
 * one parameter per value), and on every change hides the cards that do not match, updates each
 * value's count and says how many stories are shown. Values within a facet combine with OR,
 * facets with AND. A new selection is a new history entry, so Back restores the previous one.
 * From file://, where a page may not rewrite its query string, the selection lives in the #hash.
 * Its words come from the page (data-da-some, data-da-all on the status line), in the edition's language.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-da-browse]");
  if (!root) return;
  var form = root.querySelector("#da-browse-filters");
  var text = form.querySelector("input[name=q]");
  var status = root.querySelector("[data-da-status]");
  var cards = Array.prototype.slice.call(root.querySelectorAll("[data-da-card]"));
  var groups = Array.prototype.slice.call(root.querySelectorAll("[data-da-group]"));
  var facets = Array.prototype.slice.call(form.querySelectorAll("[data-facet]")).map(function (set) {
    return set.getAttribute("data-facet");
  });
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));

  // Each card's values, once: {stage: ["early-years"], place: ["riverside", "other-place"], ...} and its words.
  var data = cards.map(function (card) {
    var values = {};
    facets.forEach(function (name) {
      var raw = card.getAttribute("data-f-" + name) || "";
      values[name] = raw ? raw.split(" ") : [];
    });
    var words = card.querySelector(".da-card__title").textContent + " " +
      card.querySelector(".da-card__summary").textContent;
    return { card: card, values: values, words: normalise(words) };
  });

  function normalise(s) {
    return s.toLowerCase().replace(/\s+/g, " ");
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    var hash = location.hash.replace(/^#/, "");
    if (hash.indexOf("=") > -1) {
      new URLSearchParams(hash).forEach(function (value, key) { params.append(key, value); });
    }
    var state = { q: params.get("q") || "" };
    facets.forEach(function (name) { state[name] = params.getAll(name); });
    return state;
  }

  function readForm() {
    var state = { q: text.value.trim() };
    facets.forEach(function (name) { state[name] = []; });
    boxes.forEach(function (box) { if (box.checked) state[box.name].push(box.value); });
    return state;
  }

  function setForm(state) {
    text.value = state.q;
    boxes.forEach(function (box) { box.checked = state[box.name].indexOf(box.value) > -1; });
  }

  function query(state) {
    var params = new URLSearchParams();
    facets.forEach(function (name) {
      state[name].forEach(function (value) { params.append(name, value); });
    });
    if (state.q) params.append("q", state.q);
    return params.toString();
  }

  function writeUrl(state, replace) {
    var qs = query(state);
    var base = location.href.split(/[?#]/)[0];
    var url = location.protocol === "file:" ? base + (qs ? "#" + qs : "") : base + (qs ? "?" + qs : "");
    if (url === location.href) return;
    try {
      history[replace ? "replaceState" : "pushState"](null, "", url);
    } catch (err) {  // a browser that refuses: keep the selection in the hash
      location.hash = qs;
    }
  }

  // Does a card match every facet (ignoring one, for that facet's counts) and the words?
  function matches(item, state, ignore) {
    for (var i = 0; i < facets.length; i++) {
      var name = facets[i];
      if (name === ignore || !state[name].length) continue;
      var hit = state[name].some(function (v) { return item.values[name].indexOf(v) > -1; });
      if (!hit) return false;
    }
    if (state.q) {
      var words = normalise(state.q).split(" ");
      return words.every(function (w) { return item.words.indexOf(w) > -1; });
    }
    return true;
  }

  function apply(state) {
    var shown = 0;
    data.forEach(function (item) {
      var ok = matches(item, state, null);
      item.card.hidden = !ok;
      if (ok) shown++;
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector("[data-da-card]:not([hidden])");
    });
    boxes.forEach(function (box) {
      var n = data.filter(function (item) {
        return item.values[box.name].indexOf(box.value) > -1 && matches(item, state, box.name);
      }).length;
      box.parentNode.querySelector("[data-count]").textContent = "(" + n + ")";
      box.parentNode.classList.toggle("da-facet__value--empty", n === 0 && !box.checked);
    });
    var filtered = query(state) !== "";
    var words = status.getAttribute(filtered ? "data-da-some" : "data-da-all");
    status.textContent = words.replace("{shown}", shown).replace("{total}", data.length);
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("change", function (event) {
    if (event.target === text) return;
    var state = readForm();
    apply(state);
    writeUrl(state, false);
  });
  text.addEventListener("input", function () {
    var state = readForm();
    apply(state);
    writeUrl(state, true);  // typing replaces the entry: Back goes to the last choice of filters
  });
  form.addEventListener("reset", function () {
    setTimeout(function () {  // after the browser has cleared the fields
      var state = readForm();
      apply(state);
      writeUrl(state, false);
    }, 0);
  });
  window.addEventListener("popstate", function () {
    var state = readUrl();
    setForm(state);
    apply(state);
  });
  window.addEventListener("hashchange", function () {
    var state = readUrl();
    setForm(state);
    apply(state);
  });
  var initial = readUrl();
  setForm(initial);
  apply(initial);
})();
