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

  // After htmx replaces part of a page, the element that had focus is gone and focus
  // falls back to <body>. Put it where the user's attention should go (WCAG 2.4.3):
  // - a link or button with data-focus-after="<id>" (pagination) sends it to that
  //   element, usually the heading of the list;
  // - a swapped element with data-focus-new="<selector>" (the comments) sends it to the
  //   first matching element that was not there before (the new comment), else to the
  //   first field marked invalid, else back to where the action was taken: the element
  //   around it (a comment), or the same form again (refused, e.g. by a rate limit);
  // - otherwise, when the swap replaced the control that had focus (a search filter),
  //   the new control with the same id gets it back.
  // Never when the user has moved focus meanwhile (a keyboard user tabbing on).
  var pending = null;

  function idsWithin(element, selector) {
    var ids = {};
    element.querySelectorAll(selector).forEach(function (match) {
      if (match.id) {
        ids[match.id] = true;
      }
    });
    return ids;
  }

  // What identifies a form across a swap: where it posts and its hidden values (the
  // comment a reply answers), leaving out the CSRF token.
  function formKey(form) {
    if (!form || form.tagName !== "FORM") {
      return null;
    }
    var key = form.getAttribute("data-hx-post") || form.getAttribute("action") || "";
    form.querySelectorAll("input[type=hidden]").forEach(function (input) {
      if (input.name !== "csrfmiddlewaretoken") {
        key += "&" + input.name + "=" + input.value;
      }
    });
    return key;
  }

  function sameForm(target, key) {
    if (!key) {
      return null;
    }
    var match = Array.prototype.find.call(target.querySelectorAll("form"), function (form) {
      return formKey(form) === key;
    });
    return match ? match.querySelector("textarea, input:not([type=hidden]), button") : null;
  }

  function focusElement(element) {
    if (!element) {
      return false;
    }
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
    return document.activeElement === element;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    var target = event.detail.target;
    pending = null;
    if (!event.detail.shouldSwap || !target) {
      return;
    }
    if (trigger && trigger.getAttribute("data-focus-after")) {
      pending = { focusId: trigger.getAttribute("data-focus-after") };
    } else if (target.id && target.getAttribute("data-focus-new")) {
      var selector = target.getAttribute("data-focus-new");
      var around = trigger && trigger.parentElement && trigger.parentElement.closest("[id]");
      pending = {
        targetId: target.id,
        selector: selector,
        known: idsWithin(target, selector),
        aroundId: around && around !== target && target.contains(around) ? around.id : null,
        formKey: formKey(trigger),
      };
    } else if (document.activeElement && document.activeElement.id &&
               target.contains(document.activeElement)) {
      pending = { focusId: document.activeElement.id };
    }
    if (pending) {
      pending.from = document.activeElement;
    }
  });

  // Where focus was when the swap began: if it is somewhere else by the time the swap
  // has settled (htmx waits a moment), the user has moved on, and it stays with them.
  function movedOn(work) {
    var now = document.activeElement;
    return now && now !== document.body && now !== work.from;
  }

  document.addEventListener("htmx:afterSettle", function () {
    var work = pending;
    pending = null;
    if (!work || movedOn(work)) {
      return;
    }
    if (work.focusId) {
      focusElement(document.getElementById(work.focusId));
      return;
    }
    var target = document.getElementById(work.targetId);
    if (!target) {
      return;
    }
    var fresh = Array.prototype.filter.call(
      target.querySelectorAll(work.selector),
      function (match) { return match.id && !work.known[match.id]; }
    );
    focusElement(fresh[0]) ||
      focusElement(target.querySelector("[aria-invalid='true']")) ||
      focusElement(work.aroundId && document.getElementById(work.aroundId)) ||
      focusElement(sameForm(target, work.formKey)) ||
      focusElement(target);
  });

  // A live region that htmx would replace is never announced, so such pages keep a
  // region outside the swapped part, marked data-live-source="<id>", and it gets the
  // text of that element after each swap (WCAG 4.1.3).
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("[data-live-source]").forEach(function (region) {
      var source = document.getElementById(region.getAttribute("data-live-source"));
      if (source && region.textContent !== source.textContent) {
        region.textContent = source.textContent;
      }
    });
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
