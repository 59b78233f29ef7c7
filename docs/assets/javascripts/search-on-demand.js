// Fetch the search index only when the reader opens search.
// Material requests search/search_index.json (with XMLHttpRequest) as soon as
// a page loads; on a phone that is the largest download of a first visit.
// This defers that one request until the search toggle opens or the search
// box gets focus, and changes nothing else. Loaded at the end of <body>, right
// before Material's bundle, so it never holds up the first paint.
(function () {
  var INDEX = /\/search\/search_index\.json(?:[?#]|$)/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;

  var searchOpened = new Promise(function (resolve) {
    function watch() {
      var dialog = document.querySelector(".md-search[role=dialog]");
      if (dialog && !dialog.hasAttribute("aria-label")) {
        // Material's search dialog has no accessible name (axe: aria-dialog-name).
        dialog.setAttribute("aria-label", document.documentElement.lang === "en" ? "Search" : "搜索");
      }
      var toggle = document.getElementById("__search");
      var input = document.querySelector(".md-search__input");
      if (!toggle || toggle.checked) return resolve();
      toggle.addEventListener("change", function () { if (toggle.checked) resolve(); });
      if (input) input.addEventListener("focus", resolve, { once: true });
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
    else watch();
  });

  XMLHttpRequest.prototype.open = function (method, url) {
    this.deferUntilSearch = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this, args = arguments;
    if (!request.deferUntilSearch) return send.apply(request, args);
    searchOpened.then(function () { send.apply(request, args); });
  };
})();

// A query with no result in this language offers the same query on the other language's site:
// Material opens search with `?q=` filled in. The language roots follow from Material's `base`,
// which on English pages points at the English root (search.point_at_language_root).
(function () {
  var english = document.documentElement.lang === "en";
  var LABEL = english ? "Search the Chinese pages for “%s”" : "在英文页面中搜索“%s”";

  function otherRoot() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    var root = new URL(base.replace(/\/?$/, "/"), location.href);
    return new URL(english ? "../" : "en/", root);
  }

  function offer() {
    var meta = document.querySelector(".md-search-result__meta");
    var list = document.querySelector(".md-search-result__list");
    var input = document.querySelector(".md-search__input");
    var query = input ? input.value.trim() : "";
    var wanted = meta && list && query && !list.children.length ? otherRoot().href + "?q=" + encodeURIComponent(query) : "";
    var old = document.querySelector(".hb-search-other");
    if (old && old.href === wanted) return;  // settled: the observer sees our own change once more
    if (old) old.remove();
    if (!wanted) return;
    var link = document.createElement("a");
    link.className = "hb-search-other";
    link.href = wanted;
    link.hreflang = english ? "zh" : "en";
    link.textContent = LABEL.replace("%s", query);
    meta.appendChild(link);
  }

  function watch() {
    var output = document.querySelector(".md-search-result");
    if (output) new MutationObserver(offer).observe(output, { childList: true, subtree: true, characterData: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
