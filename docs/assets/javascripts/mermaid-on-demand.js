// Load the site's own Mermaid (about 250 KB gzip) only when a diagram comes near the viewport.
// Material renders `.mermaid` blocks itself: it calls mermaid.initialize() once, then
// mermaid.render(id, source) per block, and fetches Mermaid from a CDN only when
// `window.mermaid` is undefined. This stub is that `window.mermaid`: it keeps Material's
// settings, waits until the block Material is rendering approaches the viewport, then
// imports the vendored module and lets it render. No request ever leaves the site.
(function () {
  "use strict";

  var moduleUrl = new URL(document.currentScript.dataset.module, document.baseURI).href;
  var settings = {};
  var loaded = null;
  var claimed = [];

  function mermaidModule() {
    if (!loaded) {
      loaded = import(moduleUrl).then(function (module) {
        module.default.initialize(settings);
        return module.default;
      });
    }
    return loaded;
  }

  // The `<pre class="mermaid">` Material is rendering: the first one not yet claimed with this source.
  function blockOf(source) {
    var blocks = document.querySelectorAll("pre.mermaid");
    for (var i = 0; i < blocks.length; i++) {
      if (claimed.indexOf(blocks[i]) < 0 && blocks[i].textContent === source) {
        claimed.push(blocks[i]);
        return blocks[i];
      }
    }
    return null;
  }

  // Resolves once the block is within about a screen of the viewport (at once if unknown).
  function near(block) {
    return new Promise(function (resolve) {
      if (!block || !("IntersectionObserver" in window)) return resolve();
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          resolve();
        }
      }, { rootMargin: "100% 0px" });
      observer.observe(block);
    });
  }

  // A diagram that scrolls sideways must be reachable from the keyboard (axe: scrollable-region-focusable).
  function focusWideDiagrams() {
    document.querySelectorAll("div.mermaid").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "figure");
      }
    });
  }

  window.mermaid = {
    // Diagrams keep their natural size (labels at Mermaid's 16 px) and scroll sideways in their box when
    // wider than the column: shrunk to a phone's width, a left-to-right flowchart's labels were 4-7 px tall.
    initialize: function (options) {
      settings = Object.assign({}, options);
      ["flowchart", "sequence", "class", "state", "er", "gantt", "journey", "pie", "mindmap", "timeline"].forEach(function (kind) {
        settings[kind] = Object.assign({}, settings[kind], { useMaxWidth: false });
      });
    },
    render: function (id, source) {
      return near(blockOf(source)).then(mermaidModule).then(function (mermaid) {
        return mermaid.render(id, source);
      }).then(function (result) {
        setTimeout(focusWideDiagrams, 0);  // after Material has put the drawing in place
        return result;
      });
    }
  };
})();
