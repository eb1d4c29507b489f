// While an import runs, fetch its page again every few seconds and replace the progress panel
// (an aria-live region), then reload once when it has ended so its problems are shown.
(function () {
  "use strict";
  var panel = document.getElementById("import-progress");
  if (!panel || panel.getAttribute("data-running") !== "true") {
    return;
  }
  var seconds = parseInt(panel.getAttribute("data-refresh-seconds"), 10) || 2;
  function poll() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("import-progress");
        if (!fresh) { return; }
        if (fresh.getAttribute("data-running") !== "true") {
          window.location.reload();
          return;
        }
        panel.innerHTML = fresh.innerHTML;
        window.setTimeout(poll, seconds * 1000);
      })
      .catch(function () { window.setTimeout(poll, seconds * 4000); });
  }
  window.setTimeout(poll, seconds * 1000);
})();
