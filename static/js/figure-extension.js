// The rich text editor's figures and galleries (articles/figures.py): a figure is a library
// image by its id with this language's alt text, caption, credit, link and size, all kept as
// the attributes the sanitizer allows (articles/sanitize.py). static/js/figures.js inserts them.
import { Node, mergeAttributes } from "django-prose-editor/editor";

const FIGURE_ATTRIBUTES = ["image", "size", "alt", "caption", "credit", "href"];

function dataAttributes(names) {
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        default: null,
        parseHTML: (element) => element.getAttribute("data-" + name),
        renderHTML: (attributes) =>
          attributes[name] ? { ["data-" + name]: attributes[name] } : {},
      },
    ]),
  );
}

export const LibraryFigure = Node.create({
  name: "libraryFigure",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes() {
    return dataAttributes(FIGURE_ATTRIBUTES);
  },
  parseHTML() {
    return [{ tag: "figure[data-image]" }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["figure", mergeAttributes(HTMLAttributes)];
  },
});

export const LibraryGallery = Node.create({
  name: "libraryGallery",
  group: "block",
  content: "libraryFigure+",
  draggable: true,
  addAttributes() {
    return dataAttributes(["gallery", "caption"]);
  },
  parseHTML() {
    return [{ tag: "figure[data-gallery]", priority: 60 }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["figure", mergeAttributes(HTMLAttributes), 0];
  },
});
