// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // htmx swaps only 2xx responses by default. Our 4xx answers (a rate limit, a form
  // that needs correcting) carry a fragment meant for the page, so show those too.
  // Inside an element marked data-swap-forbidden (the comments), a 403 is such a
  // fragment as well ("you may not do that", in place). This lives here, not in an
  // hx-on attribute, because the Content-Security-Policy allows no inline code.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var forbiddenInPlace =
      status === 403 && event.detail.elt && event.detail.elt.closest("[data-swap-forbidden]");
    if (status === 400 || status === 422 || status === 429 || forbiddenInPlace) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Move focus to the error summary after a rejected form, so keyboard and
  // screen-reader users learn at once what needs correcting.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
