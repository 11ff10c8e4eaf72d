// GOV.UK Frontend components only start when <body> has govuk-frontend-supported (set by the template).
import { initAll } from "../build/govuk-frontend.min.js";

initAll();

// "Everyone ..." checkboxes (data-app-check-all="<name prefix>"). The server reads them too, so they work without
// JavaScript; here they also tick or untick every box in the group at once, and show whether the whole group is
// ticked as people change single boxes.
for (const all of document.querySelectorAll("input[type=checkbox][data-app-check-all]")) {
  const prefix = all.dataset.appCheckAll;
  const group = () =>
    [...all.form.querySelectorAll("input[type=checkbox]")].filter((box) => box !== all && box.name.startsWith(prefix));
  const sync = () => {
    const boxes = group();
    all.checked = boxes.length > 0 && boxes.every((box) => box.checked);
  };
  all.addEventListener("change", () => {
    for (const box of group()) box.checked = all.checked;
  });
  all.form.addEventListener("change", (event) => {
    if (event.target !== all && event.target.name && event.target.name.startsWith(prefix)) sync();
  });
  sync();
}

// A table's scroll region is focusable so a keyboard can scroll it (components/table.html). Where the table fits,
// there is nothing to scroll: take the region out of the Tab order so it is not an empty stop, and put it back
// when the window narrows.
const regions = document.querySelectorAll(".app-table-scroll[tabindex]");
const fit = () => {
  for (const region of regions) {
    if (region.scrollWidth > region.clientWidth + 1) region.setAttribute("tabindex", "0");
    else region.removeAttribute("tabindex");
  }
};
if (regions.length) {
  fit();
  new ResizeObserver(fit).observe(document.documentElement);
}

// Copy buttons for links shown once (components/copy.html). They stay hidden where the browser cannot copy; the
// link is on the page in full either way. The result goes to a live region, so it is announced.
for (const button of document.querySelectorAll("button[data-app-copy]")) {
  const source = document.getElementById(button.dataset.appCopy);
  const status = document.getElementById(`${button.dataset.appCopy}-status`);
  if (!source || !status || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    status.textContent = "";
    try {
      await navigator.clipboard.writeText(source.textContent.trim());
      status.textContent = button.dataset.appCopied;
    } catch {
      window.getSelection().selectAllChildren(source);
      status.textContent = button.dataset.appCopyFailed;
    }
  });
}
