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
