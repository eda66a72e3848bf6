/* Poll a report's state fragment until its files are ready (no page reload). The fragment marks itself done. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-poll-url]").forEach(function (box) {
    function poll() {
      if (box.querySelector("[data-done]")) return;
      fetch(box.getAttribute("data-poll-url"), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (html) box.innerHTML = html;
          if (!box.querySelector("[data-done]")) window.setTimeout(poll, 2000);
          else if (box.hasAttribute("data-reload-when-done")) window.location.reload();
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1500);
  });
});
