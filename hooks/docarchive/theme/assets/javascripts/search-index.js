// The search index loads when the reader first opens search, not with every page, and is downloaded once
// per version of the index (docs/offline-and-search.md). Material's bundle would request
// search/search_index.json as each page starts; the build (hooks/docarchive/lazysearch.py) makes it call
// window.__docarchive_search_index instead, which returns a promise of the index ({config, docs}).
// Loading starts when search opens (a click or focus in the search box, the / or s key, a ?q= link) or
// when the page was opened from a search result (?h=, whose words Material highlights with the index's
// settings). Over http, search/search_index.version (a few bytes, always revalidated) names the current
// index, which is then asked for as search_index.json?v=<version> from the browser's cache first: the
// next page, and the next visit, download nothing until the archive changes. From file:// the index is
// read from search/search_index.js, the offline edition's copy, as Material does (nothing is downloaded).
// This file loads before the bundle: the bundle calls the function as it starts.
(function () {
  "use strict";

  function searchOpened() {
    return new Promise(function (resolve) {
      var params = new URLSearchParams(location.search);
      if (params.has("h") || params.has("q")) return resolve();
      var toggle = document.getElementById("__search");
      var box = document.querySelector("[data-md-component=search-query]");
      if (toggle) {
        if (toggle.checked) return resolve();
        toggle.addEventListener("change", function () { if (toggle.checked) resolve(); });
      }
      if (box) box.addEventListener("focus", function () { resolve(); });
    });
  }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = function () { script.remove(); resolve(); };
      script.onerror = function () { script.remove(); reject(new Error("Cannot load the search index: " + url)); };
      document.head.appendChild(script);
    });
  }

  function fetchIndex(base) {
    var index = new URL("search/search_index.json", base);
    return fetch(new URL("search/search_index.version", base), { cache: "no-cache" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .catch(function () { return ""; })
      .then(function (version) {
        version = version.trim();
        if (version) index.searchParams.set("v", version);
        // A versioned URL never changes its content, so any cached copy is the right one.
        return fetch(index, { cache: version ? "force-cache" : "default" });
      })
      .then(function (response) {
        if (!response.ok) throw new Error("Cannot load the search index: " + response.status + " " + index);
        return response.json();
      });
  }

  window.__docarchive_search_index = function (base) {
    return searchOpened().then(function () {
      if (location.protocol === "file:") {
        return loadScript(new URL("search/search_index.js", base).href).then(function () { return window.__index; });
      }
      return fetchIndex(base);
    });
  };
})();
