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
