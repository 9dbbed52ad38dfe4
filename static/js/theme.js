// Loaded in <head> without defer, so a colour scheme chosen in the footer
// (site.js) applies before the page paints; the rest is in site.js.
try {
  var theme = window.localStorage.getItem("kw-theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
} catch (error) { /* storage blocked: follow the system */ }
