/* Search-as-you-type: the combobox / listbox pattern (WAI-ARIA APG) on top of htmx.
   htmx fills #search-suggestions; this script only handles showing the list, the arrow
   keys, Enter, Escape and clicks. Without JavaScript the plain form still searches. */
(function () {
  "use strict";

  function init() {
    var input = document.getElementById("search-q");
    var list = document.getElementById("search-suggestions");
    var status = document.getElementById("search-suggestions-status");
    if (!input || !list) return;
    var active = -1;

    function options() {
      return Array.prototype.slice.call(list.querySelectorAll('[role="option"]'));
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function setActive(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }
    function choose(option) {
      if (option && option.dataset.url) window.location.href = option.dataset.url;
    }

    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target !== list) return;
      var count = options().length;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (count && document.activeElement === input) open(); else close();
      if (status) {
        status.textContent = count === 0 ? "" :
          (count === 1 ? status.dataset.one : status.dataset.many.replace("{count}", count));
      }
    });
    input.addEventListener("keydown", function (event) {
      var visible = !list.hidden && options().length > 0;
      if (event.key === "ArrowDown") {
        if (!visible && options().length) open();
        setActive(active + 1);
        event.preventDefault();
      } else if (event.key === "ArrowUp" && visible) {
        setActive(active - 1);
        event.preventDefault();
      } else if (event.key === "Enter" && visible && active >= 0) {
        event.preventDefault();
        choose(options()[active]);
      } else if (event.key === "Escape" && visible) {
        event.preventDefault();
        close();
      }
    });
    list.addEventListener("mousedown", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) {
        event.preventDefault();
        choose(option);
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
