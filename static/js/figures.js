// Figures from the image library in body fields: search the library (or upload to it in a
// new tab), choose an image, write this language's alt text (required), caption, credit,
// link and size, and the editor inserts the figure (static/js/figure-extension.js).
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
    element.name = "figure-" + name;
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
    const error = document.createElement("p");
    error.className = "errornote figure-insert__error";
    error.setAttribute("role", "alert");
    error.hidden = true;
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
      const attrs = {
        image: String(image.id),
        size: size.value,
        alt: alt.value.trim(),
        caption: caption.value.trim() || null,
        credit: credit.value.trim() || null,
        href: href.value.trim() || null,
      };
      editor.chain().focus().insertContent({ type: "libraryFigure", attrs: attrs }).run();
      form.remove();
    });
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
    box.querySelector(".figure-insert__details")?.remove();
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
    const upload = document.createElement("a");
    upload.href = text.addUrl;
    upload.target = "_blank";
    upload.rel = "noopener";
    upload.textContent = text.upload;
    const results = document.createElement("ul");
    results.setAttribute("role", "listbox");
    box.append(input, upload, results);
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
