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
