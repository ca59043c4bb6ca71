// Entity facets: show the briefs that mention every checked entity. Without script the panel stays hidden
// and the whole list shows.
(function () {
  "use strict";
  var panel = document.getElementById("facets");
  var form = document.getElementById("facet-form");
  if (!panel || !form) { return; }
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
  var briefs = Array.prototype.slice.call(document.querySelectorAll("#briefs > li"));
  var counters = Array.prototype.slice.call(document.querySelectorAll("#facet-status .n-shown"));
  function apply() {
    var wanted = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    var shown = 0;
    briefs.forEach(function (brief) {
      var have = (brief.getAttribute("data-entities") || "").split(" ");
      var match = wanted.every(function (id) { return have.indexOf(id) !== -1; });
      brief.hidden = !match;
      if (match) { shown += 1; }
    });
    counters.forEach(function (counter) { counter.textContent = String(shown); });
  }
  form.addEventListener("change", apply);
  // "reset" fires before the boxes are cleared: filter once they are.
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  panel.hidden = false;
  if (window.matchMedia && window.matchMedia("(min-width: 40rem)").matches) { panel.open = true; }
  apply();
})();
