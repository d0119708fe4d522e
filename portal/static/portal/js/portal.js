// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Move focus to the error summary after a rejected form, so keyboard and
  // screen-reader users learn at once what needs correcting.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
