// Autosave for the write form (README, "Writing"). A few seconds after the
// author stops typing (and at the latest every 15 s while they type), and when
// the page is hidden or left, the form's text is posted to the autosave URL: a
// draft is saved, a published article's changes are kept aside until the
// author saves them. Two tabs: the server refuses a save based on an older
// version ("conflict") and this tab stops saving and says so, so neither text
// is overwritten. Without JavaScript the form saves as it always did.
(function () {
  "use strict";
  const form = document.querySelector("form[data-autosave-url]");
  const state = document.querySelector("[data-autosave-state]");
  if (!form || !state || !window.fetch || !window.FormData) return;
  const version = form.querySelector("input[name=edit_version]");
  const IDLE_MS = 3000;
  const MOST_MS = 15000;
  // Fields that autosave leaves alone: they act only with their own button.
  const SKIPPED = ["cover_upload", "remove_cover", "action", "correction_note",
    "schedule_date", "schedule_time"];
  let url = form.dataset.autosaveUrl;
  let dirty = false;
  let fileChosen = false;
  let stopped = false;
  let submitting = false;
  let inFlight = null;
  let timer = null;
  let firstChange = 0;

  function say(text, kind) {
    state.textContent = text;
    state.dataset.state = kind;
  }

  function payload() {
    const data = new FormData(form);
    SKIPPED.forEach(function (name) { data.delete(name); });
    return data;
  }

  function answered(response, data) {
    if (response.ok && data.state === "saved") {
      if (version && data.version !== undefined) version.value = data.version;
      if (data.edit_url && form.getAttribute("action") !== data.edit_url) {
        // A new article now exists: later saves and the buttons go to it.
        form.setAttribute("action", data.edit_url);
        url = data.autosave_url;
        window.history.replaceState(null, "", data.edit_url);
      }
      say(data.message, "saved");
      return;
    }
    dirty = true;
    if (data.state === "conflict") stopped = true;
    say(data.message || form.dataset.failedText, data.state || "error");
  }

  function save(leaving) {
    if (!dirty || stopped || submitting) return Promise.resolve();
    if (inFlight) return inFlight.then(function () { return save(leaving); });
    dirty = false;
    firstChange = 0;
    window.clearTimeout(timer);
    say(form.dataset.savingText, "saving");
    inFlight = fetch(url, {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      keepalive: Boolean(leaving),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        answered(response, data);
      });
    }).catch(function () {
      dirty = true;
      say(form.dataset.failedText, "error");
    }).finally(function () {
      inFlight = null;
    });
    return inFlight;
  }

  function changed(event) {
    if (event.target.type === "file") {
      fileChosen = true;
      return;
    }
    if (SKIPPED.indexOf(event.target.name) !== -1) return;
    dirty = true;
    if (stopped) return;
    if (!firstChange) firstChange = Date.now();
    say(form.dataset.unsavedText, "unsaved");
    window.clearTimeout(timer);
    const latest = firstChange + MOST_MS - Date.now();
    timer = window.setTimeout(save, Math.max(0, Math.min(IDLE_MS, latest)));
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    if (inFlight) {
      // Let the autosave answer first: it may give the form a new version or,
      // for a new article, the address it now has.
      event.preventDefault();
      const submitter = event.submitter;
      inFlight.then(function () { form.requestSubmit(submitter); });
      return;
    }
    submitting = true;
    window.clearTimeout(timer);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save(true);
  });
  window.addEventListener("pagehide", function () { save(true); });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || !(dirty || inFlight || fileChosen)) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
