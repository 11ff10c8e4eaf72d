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

// A file over the upload limit (data-app-max-bytes on the file input) is caught before the form is sent: the page
// shows the same GOV.UK error the server would, keeps everything typed, and sends nothing. Without JavaScript the
// server reads the form through and re-shows it with the same message (web/uploads.py).
for (const input of document.querySelectorAll("input[type=file][data-app-max-bytes]")) {
  const max = Number(input.dataset.appMaxBytes);
  input.form.addEventListener("submit", (event) => {
    const file = input.files && input.files[0];
    if (!file || file.size <= max) return;
    event.preventDefault();
    showFieldError(input, input.dataset.appTooLarge);
  });
}

function showFieldError(input, message) {
  const group = input.closest(".govuk-form-group");
  const errorId = `${input.id}-error`;
  let error = document.getElementById(errorId);
  if (!error) {
    error = document.createElement("p");
    error.className = "govuk-error-message";
    error.id = errorId;
    input.before(error);
    input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") || ""} ${errorId}`.trim());
  }
  const hidden = document.createElement("span");
  hidden.className = "govuk-visually-hidden";
  hidden.textContent = `${input.dataset.appError}:`;
  error.replaceChildren(hidden, ` ${message}`);
  group.classList.add("govuk-form-group--error");
  input.classList.add("govuk-file-upload--error");

  let summary = document.querySelector(".govuk-error-summary");
  if (!summary) {
    summary = document.createElement("div");
    summary.className = "govuk-error-summary";
    summary.tabIndex = -1;
    const alert = document.createElement("div");
    alert.setAttribute("role", "alert");
    const title = document.createElement("h2");
    title.className = "govuk-error-summary__title";
    title.textContent = input.dataset.appProblem;
    const body = document.createElement("div");
    body.className = "govuk-error-summary__body";
    const list = document.createElement("ul");
    list.className = "govuk-list govuk-error-summary__list";
    body.append(list);
    alert.append(title, body);
    summary.append(alert);
    document.querySelector("main h1, main .govuk-caption-l").before(summary);
  }
  const list = summary.querySelector(".govuk-error-summary__list");
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = `#${input.id}`;
  link.textContent = message;
  item.append(link);
  list.replaceChildren(item);
  if (!document.title.startsWith(`${input.dataset.appError}:`)) document.title = `${input.dataset.appError}: ${document.title}`;
  summary.tabIndex = -1;
  summary.focus();
}

// "Preparing your report" (reports/pdf_status.html). Without JavaScript the page refreshes itself (a <noscript>
// meta refresh) and has a "Check again" button. Here the progress region is fetched again every few seconds
// instead; it is a live region, so each change (parts done, then "ready" with the download link) is announced.
const poll = document.querySelector("[data-app-poll]");
if (poll && poll.hasAttribute("data-app-poll-active")) {
  const tick = async () => {
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-app-poll]");
      if (fresh) {
        poll.innerHTML = fresh.innerHTML;
        // The title says the state too ("ready", "could not be made"): keep it true for a screen reader's
        // window list and the browser tab.
        if (page.title) document.title = page.title;
        if (!fresh.hasAttribute("data-app-poll-active")) {
          // Removed, not `hidden`: .govuk-button's display would override the attribute and leave it showing.
          for (const button of document.querySelectorAll("[data-app-poll-again]")) button.remove();
          return;
        }
      }
    } catch {
      // A dropped connection: try again at the next tick.
    }
    setTimeout(tick, 3000);
  };
  setTimeout(tick, 3000);
}
