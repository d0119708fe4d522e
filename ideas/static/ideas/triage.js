// Triage queue: a "select all" box for bulk actions. Without JavaScript each idea is
// ticked on its own, which works just as well.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.querySelector("[data-triage-select-all]");
  if (!all) return;
  const boxes = () => document.querySelectorAll('input[type="checkbox"][name="ideas"]');
  all.hidden = false;
  all.addEventListener("change", () => {
    boxes().forEach((box) => {
      box.checked = all.checked;
    });
  });
});
