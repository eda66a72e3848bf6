/* Collapses the staff navigation behind a "Menu" button on phones. Without JavaScript the list stays open. */
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".nav-toggle");
  var list = document.getElementById("main-nav-list");
  if (!button || !list) return;
  button.addEventListener("click", function () {
    var open = list.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
});

/* The catalogue's facets fold away on phones; on wide screens, where they sit beside the products, open them. */
document.addEventListener("DOMContentLoaded", function () {
  if (!window.matchMedia("(min-width: 800px)").matches) return;
  document.querySelectorAll("details.more-filters").forEach(function (details) {
    details.open = true;
  });
});
