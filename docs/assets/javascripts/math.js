// Render pymdownx.arithmatex output with the site's own copy of KaTeX.
// Runs on every page Material shows (document$), so it survives its navigation.
document$.subscribe(function () {
  document.querySelectorAll(".arithmatex").forEach(function (element) {
    var display = element.tagName === "DIV";
    var tex = element.textContent.trim().replace(/^\\[(\[]/, "").replace(/\\[)\]]$/, "");
    katex.render(tex, element, { displayMode: display, throwOnError: false });
  });
});
