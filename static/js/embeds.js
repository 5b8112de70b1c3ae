// Embeds in an article body (articles/embeds.py): the provider's frame is made only when the
// reader asks for it, so that nothing is loaded from the provider before.
"use strict";
document.addEventListener("click", function (event) {
  const button = event.target.closest(".embed-load");
  const facade = button && button.closest(".embed[data-frame]");
  if (!facade) {
    return;
  }
  const frame = document.createElement("iframe");
  frame.src = facade.dataset.frame;
  frame.title = facade.dataset.frameTitle;
  frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  frame.className = "embed-frame";
  facade.replaceChildren(frame);
  facade.classList.add("embed--loaded");
  frame.focus();
});
