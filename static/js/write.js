// Tag suggestions for the write form: existing tags that start with the tag
// being typed are offered through the field's <datalist>. Without JavaScript
// the field is a plain comma-separated list.
(function () {
  "use strict";
  const input = document.querySelector("input[data-suggest-url]");
  const list = document.getElementById("tag-suggestions");
  if (!input || !list || !window.fetch) return;
  let timer = null;
  let lastQuery = "";

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 200);
  });

  async function suggest() {
    const parts = input.value.split(",");
    const current = parts.pop().trim();
    if (current.length < 2 || current === lastQuery) return;
    lastQuery = current;
    const url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(current);
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    const head = parts.map(function (part) { return part.trim(); }).filter(Boolean);
    list.replaceChildren(...data.tags.map(function (name) {
      const option = document.createElement("option");
      option.value = head.concat([name]).join(", ");
      return option;
    }));
  }
})();

// The editor's editable area replaces the body <textarea> for sighted users;
// give it the textarea's label and help text so screen readers announce it.
(function () {
  "use strict";
  const textarea = document.querySelector("textarea[data-django-prose-editor-configurable], textarea[data-django-prose-editor]");
  if (!textarea) return;
  const label = document.querySelector('label[for="' + textarea.id + '"]');
  const help = document.getElementById(textarea.id + "_helptext");

  function name(area) {
    if (area.hasAttribute("aria-label")) return;
    if (label) area.setAttribute("aria-label", label.textContent.replace("*", "").trim());
    if (help) area.setAttribute("aria-describedby", help.id);
  }

  const wrapper = textarea.closest(".field") || document.body;
  function nameAll() {
    const areas = wrapper.querySelectorAll(".ProseMirror");
    areas.forEach(name);
    return areas.length > 0;
  }
  if (nameAll()) return;
  const observer = new MutationObserver(function () {
    if (nameAll()) observer.disconnect();
  });
  observer.observe(wrapper, { childList: true, subtree: true });
})();
