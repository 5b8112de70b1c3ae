// A click on an image in the admin sets its focal point: the two percentage fields that
// the server validates, so that the page also works without this script. Where those fields
// are read-only, the marker only shows the stored focus.
document.addEventListener("DOMContentLoaded", () => {
  for (const picker of document.querySelectorAll("[data-focal-point]")) {
    const image = picker.querySelector("img");
    const marker = picker.querySelector(".focal-point__marker");
    const x = document.getElementById(picker.dataset.xInput);
    const y = document.getElementById(picker.dataset.yInput);
    if (!image) continue;
    const place = () => {
      marker.style.left = `${(x ? x.value : picker.dataset.x) || 50}%`;
      marker.style.top = `${(y ? y.value : picker.dataset.y) || 50}%`;
    };
    place();
    if (!x || !y) continue;
    const percent = (offset, length) => Math.min(100, Math.max(0, Math.round((offset / length) * 100)));
    image.addEventListener("click", (event) => {
      const box = image.getBoundingClientRect();
      x.value = percent(event.clientX - box.left, box.width);
      y.value = percent(event.clientY - box.top, box.height);
      place();
    });
    x.addEventListener("input", place);
    y.addEventListener("input", place);
  }
});
