// Language editions: every page's <link rel="alternate" hreflang> names the same page in each edition
// (docs/offline-and-search.md). Material reads such links as the roots of its own multi-language
// feature and fetches "sitemap.xml" beside each, which here would ask for a file in every page's
// folder (a 404, or a refused file:// request). So the links step out of the document while Material
// looks for them at DOMContentLoaded (its listener was registered first, by its bundle) and come back
// right after: crawlers, validators and the final page all have them; the switcher links need no script.
(function () {
  "use strict";
  var links = Array.prototype.slice.call(document.querySelectorAll("link[rel=alternate][hreflang]"));
  var marks = links.map(function (link) {
    var mark = document.createComment("hreflang");
    link.parentNode.replaceChild(mark, link);
    return mark;
  });
  document.addEventListener("DOMContentLoaded", function () {
    marks.forEach(function (mark, i) { mark.parentNode.replaceChild(links[i], mark); });
  }, { once: true });
})();

// The page's words for what these scripts write, in the edition's language (main.html's #da-words,
// keyed by the English); the English where the page gives none.
function word(english) {
  "use strict";
  var block = document.getElementById("da-words");
  try {
    var words = block ? JSON.parse(block.textContent) : {};
    return words[english] || english;
  } catch (err) {
    return english;
  }
}

// Runs setup on each page: once the document is ready, and again after each of Material's instant
// navigations, which re-render the page without reloading this script.
function onEveryPage(setup) {
  "use strict";
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
}

// Photo lightbox: a native <dialog>, so focus trapping, Esc and screen readers work without a library.
// Each photo is a link to its largest JPEG (class da-zoom, data-da-lightbox = the image to show), so with
// no script, or with Ctrl/Cmd-click, the link simply opens the image. Works from file:// (no fetch, no
// modules). Keyboard: Enter on a photo opens it, Left/Right (or the buttons) move between the page's
// photos, Home/End jump to the first/last, Esc closes; focus then returns to the photo that opened it.
(function () {
  "use strict";
  var dialog = null;
  var parts = {};
  var links = [];
  var current = 0;
  var opener = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "da-lightbox";
    dialog.setAttribute("aria-label", word("Photo viewer"));
    dialog.setAttribute("aria-describedby", "da-lightbox-caption");
    dialog.innerHTML =
      '<figure class="da-lightbox__figure">' +
      '<img class="da-lightbox__img" alt="">' +
      '<figcaption><span class="da-lightbox__caption" id="da-lightbox-caption"></span> ' +
      '<span class="da-lightbox__credit"></span> ' +
      '<span class="da-lightbox__count" aria-live="polite"></span></figcaption>' +
      "</figure>" +
      '<button type="button" class="da-lightbox__close">×</button>' +
      '<button type="button" class="da-lightbox__prev">‹</button>' +
      '<button type="button" class="da-lightbox__next">›</button>';
    document.body.appendChild(dialog);
    ["img", "caption", "credit", "count", "close", "prev", "next"].forEach(function (name) {
      parts[name] = dialog.querySelector(name === "img" ? "img" : ".da-lightbox__" + name);
    });
    parts.close.setAttribute("aria-label", word("Close photo viewer (Esc)"));
    parts.prev.setAttribute("aria-label", word("Previous photo"));
    parts.next.setAttribute("aria-label", word("Next photo"));
    parts.close.addEventListener("click", function () { dialog.close(); });
    parts.prev.addEventListener("click", function () { show(current - 1); });
    parts.next.addEventListener("click", function () { show(current + 1); });
    dialog.addEventListener("keydown", function (e) {
      var moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: links.length - 1 };
      if (e.key in moves && !e.altKey && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        show(moves[e.key]);
      }
    });
    // A click on the backdrop (outside the figure and the buttons) closes the viewer.
    dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });
    dialog.addEventListener("close", function () {
      parts.img.removeAttribute("src");
      parts.img.removeAttribute("srcset");
      if (opener && document.body.contains(opener)) opener.focus();
      opener = null;
    });
  }

  function show(index) {
    if (!links.length) return;
    current = (index + links.length) % links.length;
    var link = links[current];
    var thumb = link.querySelector("img");
    var img = parts.img;
    img.removeAttribute("srcset");
    img.removeAttribute("src");
    if (link.getAttribute("data-da-srcset")) {
      img.setAttribute("sizes", "94vw");
      img.setAttribute("srcset", link.getAttribute("data-da-srcset"));
    }
    img.setAttribute("src", link.getAttribute("data-da-lightbox") || link.getAttribute("href"));
    img.alt = thumb ? thumb.alt : "";
    if (thumb && thumb.width && thumb.height) {
      img.setAttribute("width", thumb.getAttribute("width"));
      img.setAttribute("height", thumb.getAttribute("height"));
    }
    parts.caption.textContent = link.getAttribute("data-da-caption") || "";
    parts.credit.textContent = link.getAttribute("data-da-credit") || "";
    parts.count.textContent = links.length > 1 ?
      word("Photo {n} of {total}").replace("{n}", current + 1).replace("{total}", links.length) : "";
    parts.prev.hidden = parts.next.hidden = links.length < 2;
    if (!dialog.open) dialog.showModal();
  }

  function setup() {
    links = Array.prototype.slice.call(document.querySelectorAll("a[data-da-lightbox]"));
    if (!links.length || typeof HTMLDialogElement === "undefined") return;
    if (!dialog || !document.body.contains(dialog)) build();
    links.forEach(function (link, index) {
      if (link.getAttribute("data-da-bound")) return;
      link.setAttribute("data-da-bound", "1");
      link.addEventListener("click", function (e) {
        if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;  // new tab etc.
        e.preventDefault();
        opener = link;
        show(links.indexOf(link));
      });
    });
  }

  onEveryPage(setup);
})();

// Material's search is a role="dialog" with no name; screen readers announce it as "Search"
// (axe-core aria-dialog-name, tests/test_checkers.py).
(function () {
  "use strict";
  var search = document.querySelector('.md-search[role="dialog"]');
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", word("Search"));
})();

// The timeline's stage filter: shown only when this script runs (without it every entry is shown).
// Choosing a stage hides the other stages' entries and the years left empty, and fades their dots.
(function () {
  "use strict";
  function setup() {
    var form = document.querySelector("form[data-da-filter]");
    if (!form || form.getAttribute("data-da-bound")) return;
    form.setAttribute("data-da-bound", "1");
    form.hidden = false;
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("change", function () {
      var checked = form.querySelector("input[name=da-stage]:checked");
      var stage = checked ? checked.value : "";
      var items = document.querySelectorAll(".da-events > li.da-event, .da-yearstrip a.da-dot");
      Array.prototype.forEach.call(items, function (el) {
        el.classList.toggle("da-filtered-out", stage !== "" && el.getAttribute("data-stage") !== stage);
      });
      Array.prototype.forEach.call(document.querySelectorAll("section.da-year"), function (section) {
        section.classList.toggle("da-filtered-out", !section.querySelector("li.da-event:not(.da-filtered-out)"));
      });
    });
  }
  onEveryPage(setup);
})();

// Print: the citation line under the page gets the page's full address (without script, its path), on
// each page and again before printing (the address may have changed since: instant navigation).
(function () {
  "use strict";
  function fill() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-da-print-url]"), function (el) {
      el.textContent = window.location.href.split("#")[0].split("?")[0];
    });
  }
  onEveryPage(fill);
  window.addEventListener("beforeprint", fill);
})();

// Search results: Material's index puts a zero-width space (U+200B) around each Chinese word, so that its
// search can find words in text written without spaces (docs/offline-and-search.md). They belong in the
// index only; results show titles and text from the index, so the spaces are taken out of each result as
// it is rendered, and never reach what a reader sees, copies or hears.
(function () {
  "use strict";
  function clean(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeValue.indexOf("\u200b") !== -1) node.nodeValue = node.nodeValue.replace(/\u200b/g, "");
    }
  }
  function setup() {
    var list = document.querySelector(".md-search-result__list");
    if (!list || list.getAttribute("data-da-clean")) return;
    list.setAttribute("data-da-clean", "1");
    new MutationObserver(function () { clean(list); })
      .observe(list, { childList: true, subtree: true, characterData: true });
  }
  onEveryPage(setup);
})();
