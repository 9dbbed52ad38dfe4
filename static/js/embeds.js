// Click-to-load videos (README, "Writing"): the article shows a placeholder
// that loads nothing from YouTube or Vimeo; pressing "Putar video" puts the
// player's frame in its place (the page's CSP allows frames from those two
// players only). Without JavaScript the placeholder is a link to the video.
(function () {
  "use strict";
  document.querySelectorAll("[data-video-embed]").forEach(function (figure) {
    const button = figure.querySelector("[data-video-play]");
    const frameBox = figure.querySelector(".video-frame");
    if (!button || !frameBox) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      const title = figure.querySelector(".video-title");
      const frame = document.createElement("iframe");
      frame.src = figure.dataset.player;
      frame.title = title ? title.textContent : button.textContent;
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      frame.className = "video-player";
      frameBox.replaceWith(frame);
      frame.focus();
    });
  });
})();
