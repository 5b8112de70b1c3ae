// The rich text editor's figures and galleries (articles/figures.py): a figure is a library
// image by its id with this language's alt text, caption, credit, link and size, all kept as
// the attributes the sanitizer allows (articles/sanitize.py). static/js/figures.js inserts
// figures; the Gallery button gathers consecutive figures into a gallery, or changes the
// layout and caption of the gallery the selection is in, or undoes it.
import { Node, mergeAttributes, updateAttrsDialog } from "django-prose-editor/editor";

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

// The gallery the selection is in, or is: {node, position} or null.
function selectedGallery(state) {
  const { selection } = state;
  if (selection.node?.type.name === "libraryGallery") {
    return { node: selection.node, position: selection.from };
  }
  const { $from } = selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    if ($from.node(depth).type.name === "libraryGallery") {
      return { node: $from.node(depth), position: $from.before(depth) };
    }
  }
  return null;
}

// The figures a new gallery gathers: those the selection spans, or, when it spans one figure,
// that figure and the figures right before and after it. Two or more figures, one after the
// other, as {from, to, figures}; otherwise null.
function figuresToGather(state) {
  const { $from, $to } = state.selection;
  const range = $from.blockRange($to);
  if (!range) {
    return null;
  }
  const parent = range.parent;
  const isFigure = (index) =>
    index >= 0 && index < parent.childCount && parent.child(index).type.name === "libraryFigure";
  let start = range.startIndex;
  let end = range.endIndex;
  while (start < end && !isFigure(start)) start++;
  while (end > start && !isFigure(end - 1)) end--;
  if (end - start === 1) {
    while (isFigure(start - 1)) start--;
    while (isFigure(end)) end++;
  }
  const figures = [];
  for (let index = start; index < end; index++) {
    if (!isFigure(index)) {
      return null;
    }
    figures.push(parent.child(index));
  }
  if (figures.length < 2) {
    return null;
  }
  return {
    from: range.$from.posAtIndex(start, range.depth),
    to: range.$from.posAtIndex(end, range.depth),
    figures,
  };
}

export const LibraryGallery = Node.create({
  name: "libraryGallery",
  group: "block",
  content: "libraryFigure+",
  draggable: true,
  addOptions() {
    return {
      label: "Gallery",
      title: "",
      layout: "",
      row: "row",
      grid: "grid",
      caption: "",
      make: "",
      change: "",
      undo: "",
    };
  },
  addMenuItems({ menu, buttons }) {
    const options = this.options;
    const layoutLabels = { row: options.row, grid: options.grid };
    menu.defineItem({
      name: "libraryGallery",
      groups: "nodes",
      button: buttons.text(options.label, options.title),
      command(editor) {
        const gallery = selectedGallery(editor.state);
        const current = gallery ? gallery.node.attrs : { gallery: "row", caption: "" };
        const undo = {
          text: options.undo,
          handler(values, form) {
            const { node, position } = selectedGallery(editor.state);
            editor
              .chain()
              .focus()
              .command(({ tr }) => {
                tr.replaceWith(position, position + node.nodeSize, node.content);
                return true;
              })
              .run();
            form.closest("dialog").close();
          },
        };
        updateAttrsDialog(
          {
            layout: { title: options.layout, enum: [options.row, options.grid] },
            caption: { type: "string", title: options.caption },
          },
          {
            title: options.title,
            submitText: gallery ? options.change : options.make,
            actions: gallery ? [undo] : [],
          },
        )(editor, { layout: layoutLabels[current.gallery], caption: current.caption || "" }).then(
          (values) => {
            if (!values) {
              return;
            }
            const attrs = {
              gallery: values.layout === options.grid ? "grid" : "row",
              caption: values.caption.trim() || null,
            };
            editor
              .chain()
              .focus()
              .command(({ tr, state }) => {
                const changed = selectedGallery(state);
                if (changed) {
                  tr.setNodeMarkup(changed.position, null, attrs);
                  return true;
                }
                const { from, to, figures } = figuresToGather(state);
                tr.replaceWith(from, to, state.schema.nodes.libraryGallery.create(attrs, figures));
                return true;
              })
              .run();
          },
        );
      },
      active: (editor) => Boolean(selectedGallery(editor.state)),
      enabled: (editor) =>
        Boolean(selectedGallery(editor.state) || figuresToGather(editor.state)),
    });
  },
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
