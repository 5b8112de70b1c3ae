// The rich text editor's extensions for what a body may hold beyond django-prose-editor's
// own (articles/sanitize.py, EDITOR_EXTENSIONS): a table's caption, deleted and inserted
// text, titles of works, definition lists, notes and embeds. Their labels come translated
// from the server, in each extension's options.
import {
  Mark,
  Node,
  Table as BaseTable,
  updateAttrsDialog,
} from "django-prose-editor/editor";

function textMark(name, tag) {
  return Mark.create({
    name,
    addOptions() {
      return { label: name, title: name };
    },
    parseHTML() {
      return [{ tag }];
    },
    renderHTML() {
      const [element, className] = tag.split(".");
      return [element, className ? { class: className } : {}, 0];
    },
    addMenuItems({ menu, buttons }) {
      menu.defineItem({
        name,
        groups: "marks",
        button: buttons.text(this.options.label, this.options.title),
        command: (editor) => editor.chain().focus().toggleMark(name).run(),
        active: (editor) => editor.isActive(name),
        enabled: (editor) => editor.can().toggleMark(name),
      });
    },
  });
}

export const Deleted = textMark("deleted", "del");
export const Inserted = textMark("inserted", "ins");
export const Cite = textMark("cite", "cite");
// A note is written where its marker goes; readers get it numbered at the end.
export const Note = textMark("note", "span.note").extend({ excludes: "note" });

function textBlock(name, tag) {
  return Node.create({
    name,
    content: "inline*",
    defining: true,
    parseHTML() {
      return [{ tag }];
    },
    renderHTML() {
      return [tag, 0];
    },
  });
}

export const DescriptionTerm = textBlock("descriptionTerm", "dt");
export const DescriptionDetails = textBlock("descriptionDetails", "dd");
export const DescriptionList = Node.create({
  name: "descriptionList",
  group: "block",
  content: "(descriptionTerm descriptionDetails)+",
  addOptions() {
    return { label: "dl", title: "", term: "", definition: "" };
  },
  parseHTML() {
    return [{ tag: "dl" }];
  },
  renderHTML() {
    return ["dl", 0];
  },
  addMenuItems({ menu, buttons }) {
    const options = this.options;
    menu.defineItem({
      name: "descriptionList",
      groups: "lists",
      button: buttons.text(options.label, options.title),
      command: (editor) =>
        editor
          .chain()
          .focus()
          .insertContent({
            type: "descriptionList",
            content: [
              { type: "descriptionTerm", content: [{ type: "text", text: options.term }] },
              {
                type: "descriptionDetails",
                content: [{ type: "text", text: options.definition }],
              },
            ],
          })
          .run(),
      active: (editor) => editor.isActive("descriptionList"),
    });
  },
});

// Stored as the address alone (and what the provider said of it when saved): the server
// turns an address of a provider off its list into a link.
export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,
  addOptions() {
    return { label: "Embed", title: "", address: "", submit: "" };
  },
  addAttributes() {
    const data = (name) => ({
      default: null,
      parseHTML: (element) => element.getAttribute(name),
      renderHTML: (attributes) => ({}),
    });
    return { url: data("data-embed"), title: data("data-title"), thumbnail: data("data-thumbnail") };
  },
  parseHTML() {
    return [{ tag: "div[data-embed]" }];
  },
  renderHTML({ node }) {
    const attributes = { "data-embed": node.attrs.url };
    if (node.attrs.title) attributes["data-title"] = node.attrs.title;
    if (node.attrs.thumbnail) attributes["data-thumbnail"] = node.attrs.thumbnail;
    return ["div", attributes];
  },
  addMenuItems({ menu, buttons }) {
    const options = this.options;
    menu.defineItem({
      name: "embed",
      groups: "nodes",
      button: buttons.text(options.label, options.title),
      command(editor) {
        updateAttrsDialog(
          { url: { type: "string", title: options.address } },
          { title: options.title, submitText: options.submit },
        )(editor, { url: "" }).then((values) => {
          const url = values && values.url.trim();
          if (url) {
            editor.chain().focus().insertContent({ type: "embed", attrs: { url } }).run();
          }
        });
      },
    });
  },
});

// A table with its caption, kept as an attribute of the table (the caption's text).
export const Table = BaseTable.extend({
  addOptions() {
    return { ...this.parent?.(), captionLabel: "Caption", captionTitle: "" };
  },
  addAttributes() {
    return {
      ...this.parent?.(),
      caption: {
        default: "",
        parseHTML: (element) => {
          const caption = element.querySelector(":scope > caption");
          return caption ? caption.textContent.trim() : "";
        },
        renderHTML: () => ({}),
      },
    };
  },
  parseHTML() {
    return [
      {
        tag: "table",
        // The rows only: the caption is the table's attribute, not a row.
        contentElement: (element) => {
          const rows = element.cloneNode(true);
          rows.querySelector(":scope > caption")?.remove();
          return rows;
        },
      },
    ];
  },
  renderHTML({ node }) {
    const caption = node.attrs.caption ? [["caption", node.attrs.caption]] : [];
    return ["table", {}, ...caption, ["tbody", 0]];
  },
  addMenuItems({ menu, buttons }) {
    this.parent?.({ menu, buttons });
    const options = this.options;
    menu.defineItem({
      name: "tableCaption",
      groups: "table",
      button: buttons.text(options.captionLabel, options.captionTitle),
      command(editor) {
        const caption = editor.getAttributes("table").caption || "";
        updateAttrsDialog(
          { caption: { type: "string", title: options.captionLabel } },
          { title: options.captionTitle },
        )(editor, { caption }).then((values) => {
          if (values) {
            editor.chain().focus().updateAttributes("table", { caption: values.caption.trim() }).run();
          }
        });
      },
      enabled: (editor) => editor.isActive("table"),
    });
  },
});
