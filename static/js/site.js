// Site-wide progressive enhancement. Every form here also works without JavaScript.
(function () {
  "use strict";

  // The colour scheme switch in the footer: the choice stays in this browser
  // (base.html applies it before the page paints); "auto" follows the system.
  const THEME_KEY = "kw-theme";
  const themeSwitch = document.querySelector("[data-theme-switch]");
  if (themeSwitch) {
    const show = function (choice) {
      themeSwitch.querySelectorAll("[data-theme-choice]").forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.themeChoice === choice));
      });
    };
    let stored = null;
    try { stored = window.localStorage.getItem(THEME_KEY); } catch (error) { /* private mode */ }
    show(stored === "light" || stored === "dark" ? stored : "auto");
    themeSwitch.hidden = false;
    themeSwitch.addEventListener("click", function (event) {
      const button = event.target.closest("[data-theme-choice]");
      if (!button) return;
      const choice = button.dataset.themeChoice;
      try {
        if (choice === "auto") window.localStorage.removeItem(THEME_KEY);
        else window.localStorage.setItem(THEME_KEY, choice);
      } catch (error) { /* the choice lasts for this page only */ }
      if (choice === "auto") delete document.documentElement.dataset.theme;
      else document.documentElement.dataset.theme = choice;
      show(choice);
    });
  }

  // Messages (after a report, a save...) can be closed.
  const messages = document.querySelector(".messages[data-dismiss-label]");
  if (messages) {
    messages.querySelectorAll(".message").forEach(function (message) {
      const close = document.createElement("button");
      close.type = "button";
      close.className = "message-close";
      close.setAttribute("aria-label", messages.dataset.dismissLabel);
      close.textContent = "\u00d7";
      close.addEventListener("click", function () {
        message.remove();
        if (!messages.querySelector(".message")) messages.remove();
      });
      message.appendChild(close);
    });
  }

  // "View photo" opens the full image over the page; without JavaScript (or
  // without <dialog>) the link opens the image file itself.
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-lightbox]");
    if (!link || typeof HTMLDialogElement !== "function") return;
    event.preventDefault();
    const figure = link.closest("figure");
    const shown = figure && figure.querySelector("img");
    const dialog = document.createElement("dialog");
    dialog.className = "lightbox";
    const image = document.createElement("img");
    image.src = link.href;
    image.alt = shown ? shown.alt : "";
    const close = document.createElement("button");
    close.type = "button";
    close.className = "lightbox-close";
    close.textContent = link.dataset.closeLabel;
    close.addEventListener("click", function () { dialog.close(); });
    dialog.append(close, image);
    const caption = figure && figure.querySelector("figcaption span");
    if (caption) {
      const text = document.createElement("p");
      text.textContent = caption.textContent;
      dialog.append(text);
    }
    // A click on the backdrop (the dialog itself, outside its content) closes it too.
    dialog.addEventListener("click", function (click) { if (click.target === dialog) dialog.close(); });
    dialog.addEventListener("close", function () { dialog.remove(); link.focus(); });
    document.body.append(dialog);
    dialog.showModal();
    close.focus();
  });

  if (!window.fetch) return;

  // The + (follow) button switches in place instead of reloading the page.
  document.addEventListener("submit", async function (event) {
    const form = event.target.closest("form.follow-form");
    if (!form) return;
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      if (!response.ok) { form.submit(); return; }
      const data = await response.json();
      let action = form.querySelector("input[name=action]");
      if (data.following) {
        if (!action) {
          action = document.createElement("input");
          action.type = "hidden";
          action.name = "action";
          form.appendChild(action);
        }
        action.value = "unfollow";
      } else if (action) {
        action.remove();
      }
      button.textContent = data.label;
      button.setAttribute("aria-label", data.aria_label);
      button.classList.toggle("is-following", data.following);
      document.querySelectorAll("[data-follower-count]").forEach(function (element) {
        element.textContent = data.followers;
      });
      const status = document.getElementById("live-status");
      if (status) status.textContent = data.message;
    } catch (error) {
      form.submit();
    } finally {
      button.disabled = false;
    }
  });

  // Links shared by every reader that toggle something of the reader's own (save
  // for later on cards, like on comments; README "Reading list"): without
  // JavaScript they lead to a confirmation page. Here the reader's state is
  // asked for once per page, and a click posts in place.
  const toggles = Array.from(document.querySelectorAll("a[data-toggle]"));
  const token = document.querySelector(".account-nav input[name=csrfmiddlewaretoken]");
  function showToggle(link, on, count) {
    link.setAttribute("role", "button");
    link.setAttribute("aria-pressed", on ? "true" : "false");
    link.classList.toggle("is-on", on);
    const label = link.querySelector("[data-toggle-label]");
    if (label) label.textContent = on ? link.dataset.onLabel : link.dataset.offLabel;
    const counter = link.querySelector("[data-toggle-count]");
    if (counter && count !== undefined) counter.textContent = count;
  }
  if (token && toggles.length) {
    const byStatus = new Map();
    toggles.forEach(function (link) {
      const url = link.dataset.toggleStatus;
      if (!byStatus.has(url)) byStatus.set(url, []);
      byStatus.get(url).push(link);
    });
    byStatus.forEach(async function (links, url) {
      const query = links.map(function (link) { return "id=" + encodeURIComponent(link.dataset.toggle); });
      try {
        const response = await fetch(url + "?" + query.join("&"), {
          headers: { "X-Requested-With": "fetch" },
          credentials: "same-origin",
        });
        if (!response.ok) return;
        const on = new Set((await response.json()).on.map(String));
        links.forEach(function (link) { showToggle(link, on.has(link.dataset.toggle)); });
      } catch (error) { /* the links still work as links */ }
    });
    document.addEventListener("click", async function (event) {
      const link = event.target.closest("a[data-toggle]");
      if (!link || !link.hasAttribute("aria-pressed") || link.dataset.busy) return;
      event.preventDefault();
      link.dataset.busy = "1";
      const body = new FormData();
      body.append("csrfmiddlewaretoken", token.value);
      const actions = (link.dataset.actions || "save remove").split(" ");
      body.append("action", link.getAttribute("aria-pressed") === "true" ? actions[1] : actions[0]);
      try {
        const response = await fetch(link.href, {
          method: "POST",
          body: body,
          headers: { "X-Requested-With": "fetch" },
          credentials: "same-origin",
        });
        const data = response.headers.get("Content-Type") === "application/json" ? await response.json() : null;
        if (!data) { window.location.href = link.href; return; }
        showToggle(link, data.on, data.count);
        const status = document.getElementById("live-status");
        if (status) status.textContent = data.message;
      } catch (error) {
        window.location.href = link.href;
      } finally {
        delete link.dataset.busy;
      }
    });
  }

  // "Copy link" copies the article's address instead of opening it.
  document.addEventListener("click", async function (event) {
    const link = event.target.closest("[data-copy-link]");
    if (!link || !navigator.clipboard) return;
    event.preventDefault();
    try {
      await navigator.clipboard.writeText(link.href);
      const status = document.getElementById("live-status");
      if (status) status.textContent = link.dataset.copied || "OK";
      link.classList.add("is-copied");
    } catch (error) {
      window.location.href = link.href;
    }
  });
})();
