// Photos in the body (README, "Writing"). "Upload a photo", or a photo
// dropped or pasted into the editor, opens a small dialog asking for the
// description (alt text, required) and a caption; the photo is posted to the
// upload URL and the figure the server returns is inserted where the cursor
// is. Autosave and the form's buttons then keep it like any other text.
// Without JavaScript the write page links to the upload page instead.
(function () {
  "use strict";
  const dialog = document.querySelector("[data-upload-dialog]");
  const textarea = document.querySelector("textarea[data-django-prose-editor-configurable], textarea[data-django-prose-editor]");
  if (!dialog || !textarea || !window.fetch || !window.FormData || !dialog.showModal) return;
  const form = dialog.querySelector("form");
  const fileInput = form.querySelector("input[type=file]");
  const altInput = form.querySelector("input[name$=alt]");
  const errorBox = dialog.querySelector("[data-upload-error]");
  const status = document.querySelector("[data-upload-status]");
  const submit = form.querySelector("button[type=submit]");
  let editor = null;

  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail && event.detail.textarea === textarea) editor = event.detail.editor;
  });

  function currentEditor() {
    if (editor) return editor;
    // Tiptap keeps its editor on the editable element (the event may have
    // fired before this script ran).
    const wrapper = textarea.closest(".field") || document;
    const area = wrapper.querySelector(".ProseMirror[contenteditable]");
    return area && area.editor ? area.editor : null;
  }

  document.querySelectorAll("[data-upload-open]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { open(null); });
  });
  document.querySelectorAll("[data-upload-nojs]").forEach(function (element) {
    element.hidden = true;
  });

  function open(file) {
    form.reset();
    errorBox.textContent = "";
    if (file) {
      const files = new DataTransfer();
      files.items.add(file);
      fileInput.files = files.files;
    }
    dialog.showModal();
    (file ? altInput : fileInput).focus();
  }

  dialog.querySelector("[data-upload-cancel]").addEventListener("click", function () {
    dialog.close();
  });

  const zone = dialog.querySelector("[data-drop-zone]");
  zone.addEventListener("dragover", function (event) {
    event.preventDefault();
    zone.dataset.over = "";
  });
  zone.addEventListener("dragleave", function () { delete zone.dataset.over; });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    delete zone.dataset.over;
    if (event.dataTransfer.files.length) fileInput.files = event.dataTransfer.files;
  });

  // A photo dropped or pasted into the text: ask for its description first.
  function imageFrom(list) {
    return Array.prototype.find.call(list || [], function (file) {
      return file.type && file.type.indexOf("image/") === 0;
    });
  }
  const field = textarea.closest(".field") || textarea.parentElement;
  field.addEventListener("drop", function (event) {
    const file = imageFrom(event.dataTransfer && event.dataTransfer.files);
    if (!file) return;
    event.preventDefault();
    event.stopPropagation();
    open(file);
  }, true);
  field.addEventListener("paste", function (event) {
    const file = imageFrom(event.clipboardData && event.clipboardData.files);
    if (!file) return;
    event.preventDefault();
    event.stopPropagation();
    open(file);
  }, true);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.textContent = "";
    submit.disabled = true;
    status.textContent = dialog.dataset.uploadingText;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().catch(function () { return {}; });
    }).then(function (data) {
      if (data.state !== "saved") {
        errorBox.textContent = data.message || dialog.dataset.failedText;
        status.textContent = "";
        return;
      }
      const target = currentEditor();
      if (target) {
        target.chain().focus().insertContent(data.html).run();
      } else {
        textarea.value += data.html;
      }
      // Autosave listens for input on the write form.
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      status.textContent = data.message;
      dialog.close();
    }).catch(function () {
      errorBox.textContent = dialog.dataset.failedText;
      status.textContent = "";
    }).finally(function () {
      submit.disabled = false;
    });
  });
})();
