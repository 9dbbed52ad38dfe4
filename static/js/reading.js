// Reading time for trust levels (README, "Trust and spam"): the seconds this
// article was in view are sent when the page is hidden or left, with the
// reader's CSRF token from a form on the page (only signed-in readers have one).
// Without JavaScript nothing is sent, and nothing else depends on it.
(function () {
  "use strict";
  const article = document.querySelector("[data-reading-url]");
  if (!article || !navigator.sendBeacon) return;
  const url = article.dataset.readingUrl;
  let visibleSince = document.visibilityState === "visible" ? Date.now() : null;
  let seconds = 0;

  function pause() {
    if (visibleSince !== null) {
      seconds += (Date.now() - visibleSince) / 1000;
      visibleSince = null;
    }
  }

  function send() {
    pause();
    const whole = Math.floor(seconds);
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (whole < 1 || !token) return;
    const data = new FormData();
    data.append("csrfmiddlewaretoken", token.value);
    data.append("seconds", String(whole));
    if (navigator.sendBeacon(url, data)) seconds -= whole;
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      send();
    } else {
      visibleSince = Date.now();
    }
  });
  window.addEventListener("pagehide", send);
})();
