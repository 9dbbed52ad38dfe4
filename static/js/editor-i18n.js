// The editor in the page's language (README, "Writing"). django-prose-editor
// passes its dialogs' strings through window.gettext, which the page's
// JavaScript catalogue (articles:editor_catalogue, loaded before the editor)
// provides; its toolbar titles and block-type names are plain English, so
// they are translated here through the same catalogue, also when the editor
// changes them (the block-type button follows the cursor). The editable area
// is marked Indonesian for the browser's spellchecker (articles are written
// in Indonesian, whatever the interface language).
(function () {
  "use strict";
  const gettext = window.gettext;
  if (typeof gettext !== "function") return;

  function translated(text) {
    const result = gettext(text);
    if (result !== text) return result;
    const lower = text.toLowerCase();
    const fromLower = gettext(lower);
    return fromLower === lower ? text : fromLower;
  }

  function translateAttribute(element, name) {
    const value = element.getAttribute(name);
    if (!value) return;
    const result = translated(value);
    if (result !== value) element.setAttribute(name, result);
  }

  function translateMenubar(menubar) {
    menubar.querySelectorAll("[title]").forEach(function (el) { translateAttribute(el, "title"); });
    menubar.querySelectorAll("[aria-label]").forEach(function (el) {
      translateAttribute(el, "aria-label");
    });
    menubar.querySelectorAll(".prose-menubar__option *").forEach(function (el) {
      if (el.children.length) return;
      const result = translated(el.textContent);
      if (result !== el.textContent) el.textContent = result;
    });
  }

  function prepare(root) {
    root.querySelectorAll(".prose-menubar").forEach(translateMenubar);
    root.querySelectorAll(".prose-editor").forEach(function (wrapper) {
      if (wrapper.getAttribute("lang") !== "id") wrapper.setAttribute("lang", "id");
      const area = wrapper.querySelector("[contenteditable=true]");
      if (area && area.getAttribute("spellcheck") !== "true") area.setAttribute("spellcheck", "true");
    });
  }

  function start() {
    prepare(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        const target = mutation.target.nodeType === 1 ? mutation.target : mutation.target.parentElement;
        if (target && target.closest("[contenteditable=true]")) return; // typing
        const wrapper = target && target.closest(".prose-editor");
        if (wrapper) prepare(wrapper.parentElement || wrapper);
        else if (mutation.addedNodes.length) prepare(document);
      });
    }).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["title", "aria-label", "spellcheck"],
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
