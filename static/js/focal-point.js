// A click on an image in the admin sets its focal point: the two percentage fields that
// the server validates, so that the page also works without this script.
document.addEventListener("DOMContentLoaded", () => {
  for (const picker of document.querySelectorAll("[data-focal-point]")) {
    const image = picker.querySelector("img");
    const marker = picker.querySelector(".focal-point__marker");
    const x = document.getElementById(picker.dataset.xInput);
    const y = document.getElementById(picker.dataset.yInput);
    if (!image || !x || !y) continue;
    const percent = (offset, length) => Math.min(100, Math.max(0, Math.round((offset / length) * 100)));
    const place = () => {
      marker.style.left = `${x.value || 50}%`;
      marker.style.top = `${y.value || 50}%`;
    };
    image.addEventListener("click", (event) => {
      const box = image.getBoundingClientRect();
      x.value = percent(event.clientX - box.left, box.width);
      y.value = percent(event.clientY - box.top, box.height);
      place();
    });
    x.addEventListener("input", place);
    y.addEventListener("input", place);
    place();
  }
});
