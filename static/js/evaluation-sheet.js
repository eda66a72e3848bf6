// Running totals per part while a council member fills a score sheet (the server recomputes on save).
(function () {
  "use strict";
  function recompute(form) {
    var totals = {};
    var grand = 0;
    form.querySelectorAll("input[type=radio][data-points]:checked").forEach(function (input) {
      var points = parseFloat(input.dataset.points) || 0;
      totals[input.dataset.part] = (totals[input.dataset.part] || 0) + points;
      grand += points;
    });
    document.querySelectorAll("[data-part-total]").forEach(function (out) {
      out.textContent = String(Math.round((totals[out.dataset.partTotal] || 0) * 100) / 100);
    });
    document.querySelectorAll("[data-grand-total]").forEach(function (out) {
      out.textContent = String(Math.round(grand * 100) / 100);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.score-sheet");
    if (!form) return;
    form.addEventListener("change", function () { recompute(form); });
    recompute(form);
  });
})();
