// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // htmx swaps only 2xx responses by default. Our 4xx answers (a rate limit, a form
  // that needs correcting) carry a fragment meant for the page, so show those too.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 422 || status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A disclosure marked data-open-wide (the idea filters) starts closed so that phones
  // show the results first; on a wide screen there is room, so open it.
  var wide = window.matchMedia("(min-width: 48.0625rem)");
  function openWhenWide() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.setAttribute("data-enhanced", "");
      if (wide.matches) {
        details.open = true;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", openWhenWide);
  wide.addEventListener("change", openWhenWide);

  // Move focus to the error summary after a rejected form, so keyboard and
  // screen-reader users learn at once what needs correcting.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
