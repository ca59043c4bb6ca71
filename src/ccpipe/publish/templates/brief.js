/* The view switch: Chinese, bilingual or English-glossed. It only sets data-view on <html> (brief.css does the
   rest), so without scripts the bilingual view shows. #view=en in the address opens a view directly. */
(function () {
  "use strict";
  var root = document.documentElement;
  var bar = document.getElementById("views");
  if (!bar) {
    return;
  }
  var buttons = Array.prototype.slice.call(bar.querySelectorAll("button[data-view]"));
  function show(view) {
    var known = buttons.some(function (b) { return b.getAttribute("data-view") === view; });
    if (!known) {
      view = "all";
    }
    if (view === "all") {
      root.removeAttribute("data-view");
    } else {
      root.setAttribute("data-view", view);
    }
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-view") === view));
    });
  }
  bar.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-view]") : null;
    if (button) {
      show(button.getAttribute("data-view"));
    }
  });
  var match = /(?:^|[#&])view=([A-Za-z-]+)/.exec(window.location.hash);
  show(match ? match[1] : "all");
  bar.hidden = false;
})();
