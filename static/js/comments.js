// Progressive enhancement for comments: reply and edit forms open in place and
// a posted comment appears without a page reload. Without JavaScript the same
// links and forms work as ordinary pages.
(function () {
  "use strict";
  const section = document.getElementById("komentar");
  if (!section || !window.fetch) return;
  const HEADERS = { "X-Comments-Fetch": "1" };

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function depthOf(element) {
    const match = /depth-(\d+)/.exec(element.className);
    return match ? Number(match[1]) : 0;
  }

  // The last element of a comment's subtree: replies follow it with a greater depth.
  function subtreeEnd(comment) {
    let end = comment;
    const depth = depthOf(comment);
    while (end.nextElementSibling && end.nextElementSibling.matches(".comment") && depthOf(end.nextElementSibling) > depth) {
      end = end.nextElementSibling;
    }
    return end;
  }

  async function openForm(link, place) {
    const existing = place.querySelector("form[data-comment-form]");
    if (existing) { existing.querySelector("textarea").focus(); return; }
    const response = await fetch(link.href, { headers: HEADERS, credentials: "same-origin" });
    if (!response.ok) { window.location.href = link.href; return; }
    const form = fragment(await response.text());
    place.appendChild(form);
    form.querySelector("textarea").focus();
  }

  section.addEventListener("click", function (event) {
    const reply = event.target.closest("[data-comment-reply]");
    if (reply) {
      event.preventDefault();
      openForm(reply, reply.closest(".comment-actions"));
      return;
    }
    const edit = event.target.closest("[data-comment-edit]");
    if (edit) {
      event.preventDefault();
      openForm(edit, edit.closest(".comment-actions"));
      return;
    }
    const cancel = event.target.closest("[data-comment-cancel]");
    if (cancel && cancel.closest(".comment")) {
      event.preventDefault();
      cancel.closest("form").remove();
    }
  });

  section.addEventListener("submit", async function (event) {
    const form = event.target.closest("form[data-comment-form]");
    if (!form) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST", body: new FormData(form), headers: HEADERS, credentials: "same-origin",
      });
      const html = await response.text();
      if (response.status === 201) {
        const template = document.createElement("template");
        template.innerHTML = html.trim();
        const posted = template.content.querySelector(".comment");
        const count = template.content.querySelector("[data-comment-count]");
        const heading = section.querySelector("[data-comment-count]");
        if (count && heading) heading.replaceWith(count);
        const existing = document.getElementById(posted.id);
        const inComment = form.closest(".comment");
        if (existing) {
          existing.replaceWith(posted);
        } else if (inComment) {
          subtreeEnd(inComment).after(posted);
          form.remove();
        } else {
          const list = section.querySelector("[data-comment-list]");
          // Newest first (the default) puts it on top; oldest first, at the end.
          if (new URLSearchParams(window.location.search).get("urutan") === "terlama") {
            list.append(posted);
          } else {
            list.prepend(posted);
          }
          form.reset();
          const empty = section.querySelector("[data-comment-empty]");
          if (empty) empty.remove();
        }
        posted.scrollIntoView({ block: "nearest" });
        posted.querySelector("a, button").focus();
      } else if ((response.headers.get("Content-Type") || "").startsWith("text/html") && response.status < 500) {
        const replacement = fragment(html);
        form.replaceWith(replacement);
        replacement.querySelector("textarea").focus();
      } else {
        form.submit();
      }
    } catch (error) {
      form.submit();
    } finally {
      button.disabled = false;
    }
  });
})();
