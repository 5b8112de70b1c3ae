// Figures from the image library in body fields: search the library (or upload an image to
// it, for those who may add images), choose an image, write this language's alt text
// (required), caption, credit, link and size, and the editor inserts the figure
// (static/js/figure-extension.js). A figure inserted while a figure is selected goes right
// after it, into its gallery if it is in one.
"use strict";
const figureEditors = new WeakMap();
document.addEventListener("prose-editor:ready", function (event) {
  figureEditors.set(event.detail.textarea, event.detail.editor);
});

window.addEventListener("load", function () {
  const config = document.getElementById("figure-library");
  if (!config) {
    return;
  }
  const text = config.dataset;

  function field(label, name, element) {
    const wrapper = document.createElement("label");
    wrapper.className = "figure-insert__field";
    element.dataset.figure = name;
    wrapper.append(label, element);
    return wrapper;
  }

  function sizeChoice() {
    const select = document.createElement("select");
    for (const [value, label] of [
      ["text", text.sizeText],
      ["wide", text.sizeWide],
      ["full", text.sizeFull],
    ]) {
      select.append(new Option(label, value));
    }
    return select;
  }

  function alertBox() {
    const error = document.createElement("p");
    error.className = "errornote figure-insert__error";
    error.setAttribute("role", "alert");
    error.hidden = true;
    return error;
  }

  // The box sits inside the admin's form: Enter in one of its fields does the box's action,
  // never a save of the whole page.
  function enterClicks(fieldset, button) {
    fieldset.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.tagName === "INPUT") {
        event.preventDefault();
        button.click();
      }
    });
  }

  // The upload form and the details form are made when opened: modeltranslation's tabs
  // rewrite every label of a field's row once the page has loaded.
  function closeForms(box) {
    box.querySelector(".figure-insert__details")?.remove();
    box.querySelector(".figure-insert__upload")?.remove();
    box.querySelector("[aria-expanded]")?.setAttribute("aria-expanded", "false");
  }

  function uploadForm(onUploaded) {
    const form = document.createElement("fieldset");
    form.className = "figure-insert__upload";
    const file = document.createElement("input");
    file.type = "file";
    file.accept = "image/jpeg,image/png,image/webp";
    const title = document.createElement("input");
    title.required = true;
    const credit = document.createElement("input");
    const error = alertBox();
    const send = document.createElement("button");
    send.type = "button";
    send.className = "button";
    send.textContent = text.uploadSubmit;
    send.addEventListener("click", async function () {
      const data = new FormData();
      data.append("file", file.files[0] || "");
      data.append("title", title.value.trim());
      data.append("credit", credit.value.trim());
      send.disabled = true;
      error.hidden = true;
      let answer = null;
      try {
        const response = await fetch(text.uploadUrl, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { "X-CSRFToken": form.closest("form").elements.csrfmiddlewaretoken.value },
        });
        if (response.ok || response.status === 400) {
          answer = await response.json();
        }
      } catch {
        // No answer, or not the view's (a request too large is refused before the view):
        // the box says the upload failed.
      }
      send.disabled = false;
      if (answer && !answer.errors) {
        onUploaded(answer);
        return;
      }
      error.textContent = answer ? answer.errors.join(" ") : text.uploadFailed;
      error.hidden = false;
    });
    enterClicks(form, send);
    form.append(
      field(text.file, "file", file),
      field(text.title, "title", title),
      field(text.credit, "upload-credit", credit),
      error,
      send,
    );
    return form;
  }

  function details(textarea, image, box) {
    const form = document.createElement("fieldset");
    form.className = "figure-insert__details";
    const legend = document.createElement("legend");
    legend.textContent = image.title;
    const alt = document.createElement("input");
    alt.required = true;
    const caption = document.createElement("input");
    caption.placeholder = image.caption;
    const credit = document.createElement("input");
    credit.placeholder = image.credit;
    const href = document.createElement("input");
    href.type = "url";
    const size = sizeChoice();
    const error = alertBox();
    const insert = document.createElement("button");
    insert.type = "button";
    insert.className = "button";
    insert.textContent = text.insert;
    insert.addEventListener("click", function () {
      if (!alt.value.trim()) {
        error.textContent = text.altRequired;
        error.hidden = false;
        alt.focus();
        return;
      }
      const editor = figureEditors.get(textarea);
      const figure = {
        type: "libraryFigure",
        attrs: {
          image: String(image.id),
          size: size.value,
          alt: alt.value.trim(),
          caption: caption.value.trim() || null,
          credit: credit.value.trim() || null,
          href: href.value.trim() || null,
        },
      };
      const selected = editor.state.selection;
      const chain = editor.chain().focus();
      // A selected figure (or gallery) stays: the new one follows it instead of replacing it.
      if (selected.node) {
        chain.insertContentAt(selected.to, figure).run();
      } else {
        chain.insertContent(figure).run();
      }
      form.remove();
    });
    enterClicks(form, insert);
    form.append(
      legend,
      field(text.alt, "alt", alt),
      field(text.caption, "caption", caption),
      field(text.credit, "credit", credit),
      field(text.link, "href", href),
      field(text.size, "size", size),
      error,
      insert,
    );
    closeForms(box);
    box.append(form);
    alt.focus();
  }

  document.querySelectorAll("textarea[name^='body_']").forEach(function (textarea) {
    const box = document.createElement("div");
    box.className = "figure-insert";
    const input = document.createElement("input");
    input.type = "search";
    input.placeholder = text.placeholder;
    input.setAttribute("aria-label", text.placeholder);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    const results = document.createElement("ul");
    results.setAttribute("role", "listbox");
    box.append(input, results);
    if (text.uploadUrl) {
      const toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "button";
      toggle.textContent = text.upload;
      toggle.setAttribute("aria-expanded", "false");
      toggle.addEventListener("click", function () {
        const open = box.querySelector(".figure-insert__upload");
        closeForms(box);
        if (!open) {
          const form = uploadForm(function (image) {
            details(textarea, image, box);
          });
          box.append(form);
          toggle.setAttribute("aria-expanded", "true");
          form.querySelector("input").focus();
        }
      });
      input.after(toggle);
    }
    (textarea.closest(".prose-editor") || textarea).after(box);

    let pending;
    input.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(async function () {
        const term = input.value.trim();
        results.replaceChildren();
        if (term.length < 2) {
          return;
        }
        const response = await fetch(text.url + "?q=" + encodeURIComponent(term), {
          credentials: "same-origin",
        });
        if (!response.ok) {
          return;
        }
        for (const image of (await response.json()).results) {
          const button = document.createElement("button");
          button.type = "button";
          if (image.thumbnail) {
            const thumbnail = document.createElement("img");
            thumbnail.src = image.thumbnail;
            thumbnail.alt = "";
            button.append(thumbnail);
          }
          button.append(image.title);
          button.addEventListener("click", function () {
            results.replaceChildren();
            input.value = "";
            details(textarea, image, box);
          });
          const item = document.createElement("li");
          item.append(button);
          results.append(item);
        }
      }, 250);
    });
  });
});
