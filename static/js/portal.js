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
