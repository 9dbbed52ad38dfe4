// Site-wide progressive enhancement. Every form here also works without JavaScript.
(function () {
  "use strict";
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
