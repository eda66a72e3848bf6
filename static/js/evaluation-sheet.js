// Running totals per part, the star they reach and the mandatory criteria still unmet, while a council member
// fills a score sheet (the server recomputes everything on save; see apps/evaluation/stars.py for the bands).
(function () {
  "use strict";
  var BANDS = [[90, 5], [70, 4], [50, 3], [30, 2]];
  var lang = document.documentElement.lang || "vi";

  function format(n) {
    var rounded = Math.round(n * 100) / 100;
    var decimals = rounded % 1 === 0 ? 0 : 2;
    return rounded.toLocaleString(lang, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  }

  function awardedStars(total, missingLevels) {
    var stars = 1;
    for (var i = 0; i < BANDS.length; i++) {
      if (total >= BANDS[i][0]) { stars = BANDS[i][1]; break; }
    }
    missingLevels.forEach(function (level) {
      if (stars >= level) stars = level - 1;
    });
    return Math.max(stars, 1);
  }

  function recompute(form) {
    var totals = {};
    var grand = 0;
    form.querySelectorAll("input[type=radio][data-points]:checked").forEach(function (input) {
      var points = parseFloat(input.dataset.points) || 0;
      totals[input.dataset.part] = (totals[input.dataset.part] || 0) + points;
      grand += points;
    });
    var missingLevels = [];
    var anyMissing = false;
    form.querySelectorAll("fieldset[data-mandatory-stars]").forEach(function (fieldset) {
      var checked = fieldset.querySelector("input[type=radio][data-points]:checked");
      var met = checked !== null && (parseFloat(checked.dataset.points) || 0) > 0;
      var item = document.querySelector('[data-missing-criterion="' + fieldset.dataset.criterion + '"]');
      if (item) item.hidden = met;
      if (!met) {
        missingLevels.push(parseInt(fieldset.dataset.mandatoryStars, 10));
        anyMissing = true;
      }
    });
    document.querySelectorAll("[data-missing-box]").forEach(function (box) { box.hidden = !anyMissing; });
    document.querySelectorAll("[data-part-total]").forEach(function (out) {
      out.textContent = format(totals[out.dataset.partTotal] || 0);
    });
    document.querySelectorAll("[data-grand-total]").forEach(function (out) {
      out.textContent = format(grand);
    });
    document.querySelectorAll("[data-running-stars]").forEach(function (out) {
      out.textContent = awardedStars(grand, missingLevels) + "★";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.score-sheet");
    if (!form) return;
    form.addEventListener("change", function () { recompute(form); });
    recompute(form);
  });
})();
