"""The knowledge map: every question, grouped by section in reading order, with its related questions.

An SVG of dots and lines did not survive a growing bank: labels were cut and split
mid-word, lines crossed the labels, and on a phone the text was a few pixels tall.
This map is HTML made at build time from the same graph as the related lists:
one list per section, each question a whole, wrapping label with a button that
shows how many questions it is related to. Hovering or focusing a question, or
pressing its button, highlights its related questions across the map and dims
the rest; a search box narrows the map to matching titles. A short inline script
does both; without it the map is still every question, linked, in reading order.
Nothing is drawn, so nothing can overlap, and the page grows linearly with the bank.
"""

from __future__ import annotations

import html

from handbook import bank, graph

TEXT = {
    "zh": {
        "find": "查找问题",
        "placeholder": "输入标题中的词，如 KV 缓存",
        "related": "显示 {n} 个相关问题：{title}",
        "found": "找到 {n} 个问题",
        "none": "没有标题含“{q}”的问题",
    },
    "en": {
        "find": "Find a question",
        "placeholder": "A word from a title, e.g. KV cache",
        "related": "Show the {n} questions related to: {title}",
        "found": "{n} questions found",
        "none": "No question title contains “{q}”",
    },
}

SCRIPT = """<script>
(function () {
  var map = document.currentScript.previousElementSibling;
  var items = [].slice.call(map.querySelectorAll(".hb-map__item"));
  var bySlug = {};
  items.forEach(function (item) { bySlug[item.dataset.slug] = item; });
  var pinned = null;
  function show(item) {
    items.forEach(function (other) { other.classList.remove("is-current", "is-related"); });
    map.classList.toggle("hb-map--focus", !!item);
    if (!item) return;
    item.classList.add("is-current");
    item.dataset.related.split(" ").forEach(function (slug) { if (bySlug[slug]) bySlug[slug].classList.add("is-related"); });
  }
  map.addEventListener("mouseover", function (e) { var i = e.target.closest(".hb-map__item"); if (i && !pinned) show(i); });
  map.addEventListener("mouseleave", function () { if (!pinned) show(null); });
  map.addEventListener("focusin", function (e) { var i = e.target.closest(".hb-map__item"); if (i && !pinned) show(i); });
  map.addEventListener("click", function (e) {
    var button = e.target.closest(".hb-map__count");
    if (!button) return;
    var item = button.closest(".hb-map__item");
    pinned = pinned === item ? null : item;
    map.querySelectorAll(".hb-map__count").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button && !!pinned)); });
    show(pinned);
  });
  var find = map.querySelector(".hb-map__find input");
  var status = map.querySelector(".hb-map__status");
  find.addEventListener("input", function () {
    var query = find.value.trim().toLowerCase();
    var count = 0;
    items.forEach(function (item) {
      var hit = !query || item.querySelector("a").textContent.toLowerCase().indexOf(query) >= 0;
      item.hidden = !hit;
      if (hit) count++;
    });
    map.querySelectorAll(".hb-map__section").forEach(function (section) {
      section.hidden = !section.querySelector(".hb-map__item:not([hidden])");
    });
    var message = count ? status.dataset.found.replace("{n}", count) : status.dataset.none.replace("{q}", find.value.trim());
    status.textContent = query ? message : "";
  });
})();
</script>"""


def render(language: str, prefix: str = "../") -> str:
    """The map for one language; `prefix` leads from the map page to the site's language root."""
    questions, related = graph.for_build()
    text = TEXT[language]
    neighbours = {slug: [link.slug for link in links] for slug, links in related.neighbours.items()}
    sections = []
    for number, section in enumerate(bank.sections()):
        members = [q for q in questions.values() if q.section == section.id and language in q.pages]
        items = "".join(_item(q, neighbours.get(q.slug, []), language, prefix) for q in members)
        sections.append(
            f'<section class="hb-map__section hb-map__section--{number % 7}" aria-labelledby="hb-map-{section.id}">'
            f'<h2 id="hb-map-{section.id}">{html.escape(section.titles[language])} <small>{len(members)}</small></h2>'
            f'<ol class="hb-map__list">{items}</ol></section>'
        )
    status = (
        f'<p class="hb-map__status" role="status" data-found="{html.escape(text["found"])}" data-none="{html.escape(text["none"])}"></p>'
    )
    find = (
        f'<p class="hb-map__find"><label for="hb-map-find">{text["find"]}</label> '
        f'<input id="hb-map-find" type="search" autocomplete="off" placeholder="{html.escape(text["placeholder"])}"></p>'
    )
    return f'<div class="hb-map" data-search-exclude>{find}{status}{"".join(sections)}</div>{SCRIPT}'


def _item(question: bank.Question, related: list[str], language: str, prefix: str) -> str:
    title = html.escape(question.title(language))
    label = html.escape(TEXT[language]["related"].format(n=len(related), title=question.title(language)))
    return (
        f'<li class="hb-map__item" data-slug="{html.escape(question.slug)}" data-related="{html.escape(" ".join(related))}">'
        f'<a href="{prefix}{question.section}/{question.slug}/">{title}</a> '
        f'<button type="button" class="hb-map__count" aria-pressed="false" aria-label="{label}">{len(related)}</button></li>'
    )
