// Links to other articles from a body field: search by title in any language, pick one, and
// the selected text (or the article's title) becomes a link stored by the article's id,
// which the site renders in each reader's language (articles/links.py).
"use strict";
// Body fields with the rich text editor: the editor, found by its textarea.
const articleLinkEditors = new WeakMap();
document.addEventListener("prose-editor:ready", function (event) {
  articleLinkEditors.set(event.detail.textarea, event.detail.editor);
});

window.addEventListener("load", function () {
  const config = document.getElementById("article-link-search");
  if (!config) {
    return;
  }

  function insertLink(textarea, result) {
    const editor = articleLinkEditors.get(textarea);
    if (editor) {
      const { from, to } = editor.state.selection;
      const chain = editor.chain().focus();
      if (from === to) {
        const link = { type: "link", attrs: { href: result.href } };
        chain.insertContent({ type: "text", text: result.title, marks: [link] }).run();
      } else {
        chain.setLink({ href: result.href }).run();
      }
      return;
    }
    const start = textarea.selectionStart;
    const end = textarea.selectionEnd;
    const label = document.createElement("span");
    label.textContent = result.title;
    const text = textarea.value.slice(start, end) || label.innerHTML;
    textarea.setRangeText('<a href="' + result.href + '">' + text + "</a>", start, end, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    textarea.focus();
  }

  function describe(result) {
    const languages = result.languages.map((code) => code.toUpperCase()).join(" ");
    return result.title + " — " + (languages || result.status);
  }

  document.querySelectorAll("textarea[name^='body_']").forEach(function (textarea) {
    const box = document.createElement("div");
    box.className = "article-link-search";
    const input = document.createElement("input");
    input.type = "search";
    input.placeholder = config.dataset.placeholder;
    input.setAttribute("aria-label", config.dataset.placeholder);
    const results = document.createElement("ul");
    results.setAttribute("role", "listbox");
    box.append(input, results);
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
        const response = await fetch(config.dataset.url + "?q=" + encodeURIComponent(term), {
          credentials: "same-origin",
        });
        if (!response.ok) {
          return;
        }
        for (const result of (await response.json()).results) {
          const button = document.createElement("button");
          button.type = "button";
          button.textContent = describe(result);
          button.addEventListener("click", function () {
            insertLink(textarea, result);
            results.replaceChildren();
            input.value = "";
          });
          const item = document.createElement("li");
          item.append(button);
          results.append(item);
        }
      }, 250);
    });
  });
});
