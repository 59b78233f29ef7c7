// Practice mode, random question, progress marks and section filters (GitHub issue 7); the
// language switch's landing heading and keyboard access to wide tables.
// Plain ES2018, no dependencies, no requests to other hosts. The buttons and filters of
// question and section pages are built with the page, so nothing moves when this runs
// (pages.practice_toolbar, pages.section_tools); it gives them behaviour. Nothing is hidden
// until it runs: readers without JavaScript and search engines get the full page.
// Progress lives in this browser only (localStorage); the home page exports/imports it.
(function () {
  "use strict";

  var PRACTICE_KEY = "hb-practice";
  var PROGRESS_KEY = "hb-progress";
  var FORMAT = "llm-interview-handbook-progress";
  var STATES = ["mastered", "review"];
  var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var TEXT = {
    zh: {
      mastered: "已掌握", review: "需复习",
      randomAll: "随机一题", count: "{m} / {n} 已掌握", reviewCount: "{r} 道需复习",
      shown: "显示 {k} / {n} 题", none: "没有符合条件的问题。", exportProgress: "导出进度",
      importProgress: "导入进度", clearProgress: "清除进度", imported: "已导入 {n} 条记录。",
      badFile: "无法识别这个文件，请选择本站导出的进度文件。", confirmClear: "确定清除本浏览器里保存的全部进度吗？",
      cleared: "进度已清除。", noData: "题目列表加载失败，请稍后再试。"
    },
    en: {
      mastered: "Mastered", review: "Review",
      randomAll: "Random question", count: "{m} / {n} mastered",
      reviewCount: "{r} to review", shown: "Showing {k} of {n}", none: "No question matches these filters.",
      exportProgress: "Export progress", importProgress: "Import progress", clearProgress: "Clear progress",
      imported: "Imported {n} records.", badFile: "This file is not a progress file exported from this site.",
      confirmClear: "Clear all progress saved in this browser?", cleared: "Progress cleared.",
      noData: "Could not load the question list; please try again later."
    }
  };

  // --- Small helpers -----------------------------------------------------------------------

  function lang() {
    return /^en\b/i.test(document.documentElement.lang || "") ? "en" : "zh";
  }

  function t(key, values) {
    return TEXT[lang()][key].replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text != null) node.textContent = text;
    return node;
  }

  function button(text, attrs, onClick) {
    var node = el("button", Object.assign({ type: "button", class: "hb-button" }, attrs), text);
    node.addEventListener("click", onClick);
    return node;
  }

  function status() {
    return el("p", { class: "hb-status", role: "status" });
  }

  // localStorage can be disabled or full; then choices last for this page only.
  var memory = {};
  function load(key) {
    try { var value = localStorage.getItem(key); if (value !== null) return value; } catch (e) { /* fall through */ }
    return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
  }
  function save(key, value) {
    memory[key] = value;
    try { localStorage.setItem(key, value); } catch (e) { /* kept in memory */ }
  }

  // --- Progress ----------------------------------------------------------------------------

  function marks() {
    try {
      var data = JSON.parse(load(PROGRESS_KEY) || "{}");
      return data && data.marks && typeof data.marks === "object" ? data.marks : {};
    } catch (e) { return {}; }
  }
  function saveMarks(all) { save(PROGRESS_KEY, JSON.stringify({ version: 1, marks: all })); }
  function stateOf(slug) {
    var mark = marks()[slug];
    return mark && STATES.indexOf(mark.state) >= 0 ? mark.state : "";
  }
  function setState(slug, state) {
    var all = marks();
    if (state) all[slug] = { state: state, updated: new Date().toISOString() };
    else delete all[slug];
    saveMarks(all);
  }
  function counts(questions) {
    var result = { n: questions.length, m: 0, r: 0 };
    questions.forEach(function (q) {
      var state = stateOf(q.slug);
      if (state === "mastered") result.m += 1;
      if (state === "review") result.r += 1;
    });
    return result;
  }
  function countText(questions) {
    var c = counts(questions);
    return t("count", c) + (c.r ? " · " + t("reviewCount", c) : "");
  }

  // --- Where we are, and the question index built with the site -----------------------------

  function root() {
    var base = ".";
    try { base = JSON.parse(document.getElementById("__config").textContent).base || "."; } catch (e) { /* default */ }
    return new URL(base.replace(/\/+$/, "") + "/", location.href);
  }

  // ["nlp", "vit"] on a question page, ["nlp"] on a section page, [] on the home page.
  function pagePath() {
    var path = decodeURI(location.pathname).replace(/index\.html$/, "");
    var start = decodeURI(root().pathname);
    return path.indexOf(start) === 0 ? path.slice(start.length).split("/").filter(Boolean) : [];
  }

  var indexes = {};
  function questionIndex() {
    var url = new URL("exports/questions.json", root()).href;
    if (!indexes[url]) {
      indexes[url] = fetch(url)
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
        .catch(function () { delete indexes[url]; return null; });
    }
    return indexes[url];
  }

  // Unmastered questions first: a random pick should be something worth practising.
  function goRandom(section, message) {
    questionIndex().then(function (data) {
      if (!data) { message.textContent = t("noData"); return; }
      var here = pagePath().join("/") + "/";
      var pool = data.questions.filter(function (q) { return (!section || q.section === section) && q.url !== here; });
      var open = pool.filter(function (q) { return stateOf(q.slug) !== "mastered"; });
      var from = open.length ? open : pool;
      if (from.length) location.assign(new URL(from[Math.floor(Math.random() * from.length)].url, root()).href);
    });
  }

  function randomButton(message) {
    return button(t("randomAll"), { class: "hb-button hb-random", "data-scope": "all" }, function () { goRandom("", message); });
  }

  // --- Question pages: practice mode and marks ------------------------------------------------

  function practiceOn() { return load(PRACTICE_KEY) === "1"; }

  // The build puts the toolbar's buttons in the page (pages.practice_toolbar), so that they do not
  // push the answer down when this script runs; here they get their behaviour.
  function setupQuestion(meta) {
    var where = pagePath();
    var slug = where[1] || "";
    var bar = meta.parentNode.querySelector(":scope > .hb-toolbar");
    if (!bar) return null;
    var message = bar.querySelector(".hb-status");

    // The build puts the answer in these boxes (pages.wrap_answers): moving the nodes here would
    // make the browser style and lay out the whole page again.
    var boxes = ["hb-answer-short", "hb-answer-detail"].map(function (id) { return document.getElementById(id); }).filter(Boolean);
    var open = [false, false];
    // Built with the page too: a button inserted here made Chromium restyle the whole article.
    var reveals = boxes.map(function (box, i) {
      var reveal = document.querySelector(".hb-reveal[aria-controls='" + box.id + "']");
      reveal.addEventListener("click", function () {
        open[i] = !open[i];
        render();
      });
      return reveal;
    });

    function render() {
      var on = practiceOn();
      toggle.setAttribute("aria-pressed", String(on));
      boxes.forEach(function (box, i) {
        var reachable = i === 0 || open[0];  // the detail waits until the short answer is shown
        reveals[i].hidden = !on || !reachable;
        reveals[i].setAttribute("aria-expanded", String(open[i]));
        reveals[i].textContent = open[i] ? reveals[i].dataset.hide : reveals[i].dataset.show;
        box.classList.toggle("hb-practice-hidden", on && !(reachable && open[i]));
      });
      // The table of contents would give the answer's outline away until all of it is shown.
      document.documentElement.classList.toggle("hb-practice-hiding", boxes.some(function (box) {
        return box.classList.contains("hb-practice-hidden");
      }));
    }

    var toggle = bar.querySelector(".hb-toggle");
    toggle.addEventListener("click", function () {
      save(PRACTICE_KEY, practiceOn() ? "0" : "1");
      open = [false, false];
      render();
    });
    var markButtons = Array.prototype.slice.call(bar.querySelectorAll(".hb-mark"));
    markButtons.forEach(function (b) {
      b.addEventListener("click", function () {
        setState(slug, stateOf(slug) === b.dataset.state ? "" : b.dataset.state);
        renderMarks();
      });
    });
    function renderMarks() {
      markButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(stateOf(slug) === b.dataset.state)); });
    }
    Array.prototype.forEach.call(bar.querySelectorAll(".hb-random"), function (b) {
      b.addEventListener("click", function () { goRandom(b.dataset.scope === "section" ? where[0] : "", message); });
    });

    render();
    renderMarks();

    // A link to an anchor inside hidden content (table of contents, search) reveals it.
    return function revealTarget() {
      var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (!target || !practiceOn()) return;
      var i = boxes.findIndex(function (box) { return box.contains(target); });
      if (i < 0 || (open[i] && open[0])) return;
      open[0] = true;
      open[i] = true;
      render();
      target.scrollIntoView();
    };
  }

  // --- Section pages: filters, marks and progress ----------------------------------------------

  // The tools above the list are built with the page (pages.section_tools), like a question's toolbar.
  function setupSection(list) {
    var section = pagePath()[0] || "";
    var items = Array.prototype.slice.call(list.querySelectorAll("li[data-slug]"));
    var tools = list.parentNode.querySelector(".hb-section-tools");
    if (!tools) return;
    var message = tools.querySelector(".hb-status");
    var summary = tools.querySelector(".hb-progress-summary");
    var difficultyButtons = Array.prototype.slice.call(tools.querySelectorAll(".hb-filter"));
    var select = tools.querySelector(".hb-filter-tag");
    var chosen = { difficulty: "", tag: "" };

    // Tags in the reader's collation (pinyin order in Chinese), which the build cannot know.
    Array.prototype.slice.call(select.options, 1)
      .sort(function (a, b) { return a.textContent.localeCompare(b.textContent, lang()); })
      .forEach(function (option) { select.appendChild(option); });

    difficultyButtons.forEach(function (b) {
      b.addEventListener("click", function () { chosen.difficulty = b.dataset.difficulty; apply(); });
    });
    select.addEventListener("change", function () { chosen.tag = select.value; apply(); });
    Array.prototype.forEach.call(tools.querySelectorAll(".hb-random"), function (b) {
      b.addEventListener("click", function () { goRandom(b.dataset.scope === "section" ? section : "", message); });
    });

    function apply() {
      var shown = 0;
      items.forEach(function (li) {
        var match = (!chosen.difficulty || li.dataset.difficulty === chosen.difficulty) &&
          (!chosen.tag || li.dataset.tags.split(" ").indexOf(chosen.tag) >= 0);
        li.hidden = !match;
        if (match) shown += 1;
      });
      difficultyButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.difficulty === chosen.difficulty)); });
      var filtered = chosen.difficulty || chosen.tag;
      message.textContent = !shown ? t("none") : filtered ? t("shown", { k: shown, n: items.length }) : "";
    }

    items.forEach(function (li) {
      var state = stateOf(li.dataset.slug);
      if (state) li.appendChild(el("span", { class: "hb-mark-label hb-mark-label--" + state }, t(state)));
    });
    summary.textContent = countText(items.map(function (li) { return { slug: li.dataset.slug }; }));
  }

  // --- Home page: progress per section, export and import ---------------------------------------

  function exportProgress() {
    var data = { format: FORMAT, version: 1, exported: new Date().toISOString(), marks: marks() };
    var link = el("a", {
      href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" })),
      download: "llm-interview-handbook-progress.json"
    });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  // Accept only our own format; the newer record of a question wins.
  function importProgress(text) {
    var data = JSON.parse(text);
    if (!data || data.format !== FORMAT || !data.marks || typeof data.marks !== "object") throw new Error("format");
    var all = marks();
    var count = 0;
    Object.keys(data.marks).slice(0, 5000).forEach(function (slug) {
      var mark = data.marks[slug];
      if (!SLUG.test(slug) || !mark || STATES.indexOf(mark.state) < 0) return;
      var updated = typeof mark.updated === "string" && !isNaN(Date.parse(mark.updated)) ? mark.updated : new Date().toISOString();
      if (!all[slug] || !(Date.parse(all[slug].updated) > Date.parse(updated))) all[slug] = { state: mark.state, updated: updated };
      count += 1;
    });
    saveMarks(all);
    return count;
  }

  function setupHome(panel, article) {
    var message = status();
    var summary = el("p", { class: "hb-progress-summary" });
    var file = el("input", { type: "file", accept: ".json,application/json", class: "hb-file", tabindex: "-1", "aria-hidden": "true" });
    var actions = el("div", { class: "hb-toolbar" });
    var badges = [];

    function refresh(data) {
      summary.textContent = countText(data.questions);
      badges.forEach(function (pair) {
        pair[1].textContent = countText(data.questions.filter(function (q) { return q.section === pair[0]; }));
      });
    }

    questionIndex().then(function (data) {
      if (!data) { message.textContent = t("noData"); return; }
      data.sections.forEach(function (section) {
        var target = new URL(section.url, root()).pathname;
        var link = Array.prototype.find.call(article.querySelectorAll("a[href]"), function (a) {
          return !panel.contains(a) && new URL(a.getAttribute("href"), location.href).pathname === target;
        });
        if (!link) return;
        var badge = el("span", { class: "hb-section-progress" });
        link.parentNode.insertBefore(badge, link.nextSibling);
        badges.push([section.id, badge]);
      });
      refresh(data);
    });

    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      if (!chosen) return;
      chosen.text().then(function (text) {
        message.textContent = t("imported", { n: importProgress(text) });
      }).catch(function () {
        message.textContent = t("badFile");
      }).then(function () {
        file.value = "";
        questionIndex().then(function (data) { if (data) refresh(data); });
      });
    });
    var buttons = [randomButton(message)].concat([
      button(t("exportProgress"), { class: "hb-button hb-export" }, exportProgress),
      button(t("importProgress"), { class: "hb-button hb-import" }, function () { file.click(); }),
      button(t("clearProgress"), { class: "hb-button hb-clear" }, function () {
        if (!window.confirm(t("confirmClear"))) return;
        saveMarks({});
        message.textContent = t("cleared");
        questionIndex().then(function (data) { if (data) refresh(data); });
      })
    ]);
    buttons.forEach(function (b) { actions.appendChild(b); });
    [summary, actions, file, message].forEach(function (node) { panel.appendChild(node); });
  }

  // --- Print: every <details> open (CSS shows practice-hidden content) -----------------------

  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) { d.open = true; return true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });

  // --- Wide tables ----------------------------------------------------------------------------

  // A table wider than the column scrolls sideways in Material's scroll box (handbook.css), as on most
  // phones; a keyboard can scroll the box only once it can focus it (axe: scrollable-region-focusable).
  // A ResizeObserver reports each box after layout, so reading its widths forces no extra layout, and
  // a phone turned sideways or a zoomed window updates it.
  function focusWideTables(article) {
    if (!("ResizeObserver" in window)) return;
    var observer = new ResizeObserver(function (entries) {
      var wide = entries.map(function (entry) { return entry.target.scrollWidth > entry.target.clientWidth; });
      entries.forEach(function (entry, i) {
        if (wide[i]) entry.target.setAttribute("tabindex", "0");
        else entry.target.removeAttribute("tabindex");
      });
    });
    article.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) { observer.observe(box); });
  }

  // --- Wiring ---------------------------------------------------------------------------------

  var revealTarget = null;
  window.addEventListener("hashchange", function () { if (revealTarget) revealTarget(); });

  function run() {
    var article = document.querySelector("article.md-content__inner");
    try {
      if (!article || article.hasAttribute("data-hb-practice")) return;
      article.setAttribute("data-hb-practice", "");
      document.documentElement.classList.remove("hb-practice-hiding");
      var meta = article.querySelector(":scope > .hb-meta");
      var list = article.querySelector("ul.hb-questions");
      var panel = article.querySelector(".hb-progress-panel");
      revealTarget = meta ? setupQuestion(meta) : null;
      if (list) setupSection(list);
      if (panel) setupHome(panel, article);
      if (revealTarget) revealTarget();
      focusWideTables(article);
      landOnHeading();
    } finally {
      document.documentElement.classList.remove("hb-practice-boot");
    }
  }

  // The language switch lands on the same part of the twin page. The two pages are translations with the
  // same headings in the same order, but their ids differ (一句话回答 / short-answer), so the link carries
  // the position of the heading being read (#hb-heading-3) and the other page scrolls to its own third heading.
  var HEADINGS = "article.md-content__inner h2[id], article.md-content__inner h3[id]";
  var AT = /^#hb-heading-(\d+)$/;

  function headingBeingRead() {
    var index = -1;
    document.querySelectorAll(HEADINGS).forEach(function (heading, i) {
      if (heading.getBoundingClientRect().top < 120) index = i;
    });
    return index;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
    var index = link ? headingBeingRead() : -1;
    if (index >= 0) link.href = link.href.split("#")[0] + "#hb-heading-" + index;
  }, true);

  function landOnHeading() {
    var match = AT.exec(location.hash);
    var heading = match && document.querySelectorAll(HEADINGS)[Number(match[1])];
    if (!heading) return;
    history.replaceState(history.state, "", "#" + heading.id);
    heading.scrollIntoView();
  }

  var wanted = new URLSearchParams(location.search).get("practice");
  if (wanted === "1" || wanted === "0") save(PRACTICE_KEY, wanted);
  // Hide answers already while the rest of the page loads; `run` replaces this with real controls.
  if (practiceOn()) {
    document.documentElement.classList.add("hb-practice-boot");
    setTimeout(function () { document.documentElement.classList.remove("hb-practice-boot"); }, 4000);
  }
  if (typeof document$ !== "undefined") document$.subscribe(run);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
