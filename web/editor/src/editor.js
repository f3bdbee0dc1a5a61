// The playground's code editor: CodeMirror 6 behind a small API that the Rust
// side (web/src/editor.rs) binds with wasm-bindgen. Bundled by esbuild into one
// script that defines `globalThis.LayerLabEditor` (see ../build.mjs).
//
// The editor knows nothing about Docker: it shows text, highlights it with the
// legacy Dockerfile mode, keeps one undo history per file, and displays the
// diagnostics and line highlights the Rust side computes. Positions come in as
// 1-based lines and 0-based UTF-16 columns (what CodeMirror counts); the Rust
// side converts the engine's UTF-8 byte spans at the edge.

import { EditorState, StateEffect, StateField, RangeSetBuilder } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  crosshairCursor,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  rectangularSelection,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import {
  HighlightStyle,
  StreamLanguage,
  bracketMatching,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { lintGutter, lintKeymap, setDiagnostics } from '@codemirror/lint';
import { tags as t } from '@lezer/highlight';
import { dockerFile } from '@codemirror/legacy-modes/mode/dockerfile';
import { shell } from '@codemirror/legacy-modes/mode/shell';
import { xml } from '@codemirror/legacy-modes/mode/xml';
import { cLike } from './clike.js';
import { python } from '@codemirror/legacy-modes/mode/python';
import { go } from '@codemirror/legacy-modes/mode/go';
import { toml } from '@codemirror/legacy-modes/mode/toml';
import { yaml } from '@codemirror/legacy-modes/mode/yaml';

// Full legacy modes where they are small; one small C-like mode
// (./clike.js) for C#, JavaScript, JSON and CSS, whose full modes would
// cost a quarter of the script budget.
const MODES = {
  dockerfile: dockerFile,
  shell,
  xml,
  python,
  go,
  toml,
  yaml,
  csharp: cLike('csharp'),
  javascript: cLike('javascript'),
  json: cLike('json'),
  css: cLike('css'),
};

const languages = new Map();
function language(name) {
  const mode = MODES[name];
  if (!mode) return [];
  if (!languages.has(name)) languages.set(name, StreamLanguage.define(mode));
  return languages.get(name);
}

// Colours come from CSS variables (static/style.css), so light and dark
// themes follow the page.
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword], color: 'var(--syn-keyword)', fontWeight: '600' },
  { tag: [t.string, t.special(t.string), t.regexp], color: 'var(--syn-string)' },
  { tag: [t.comment, t.lineComment, t.blockComment, t.meta], color: 'var(--syn-comment)', fontStyle: 'italic' },
  { tag: [t.number, t.bool, t.atom, t.null], color: 'var(--syn-number)' },
  { tag: [t.variableName, t.special(t.variableName)], color: 'var(--syn-variable)' },
  { tag: [t.typeName, t.className, t.namespace], color: 'var(--syn-type)' },
  { tag: [t.propertyName, t.attributeName], color: 'var(--syn-property)' },
  { tag: [t.tagName, t.angleBracket], color: 'var(--syn-tag)' },
  { tag: [t.operator, t.punctuation, t.bracket], color: 'var(--syn-punct)' },
  { tag: [t.function(t.variableName), t.definition(t.variableName)], color: 'var(--syn-function)' },
  { tag: t.invalid, color: 'var(--syn-invalid)' },
]);

// Lines the Rust side wants highlighted (the selected build step).
const setHighlight = StateEffect.define();
const highlightField = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setHighlight)) {
        const builder = new RangeSetBuilder();
        const { from, to } = e.value;
        if (from > 0) {
          const doc = tr.state.doc;
          const last = Math.min(to, doc.lines);
          for (let n = Math.min(from, doc.lines); n <= last; n++) {
            builder.add(doc.line(n).from, doc.line(n).from, Decoration.line({ class: 'cm-step-line' }));
          }
        }
        deco = builder.finish();
      }
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

function extensions(lang, onChange) {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    bracketMatching(),
    rectangularSelection(),
    crosshairCursor(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    lintGutter(),
    syntaxHighlighting(highlight),
    highlightField,
    // Ctrl/Cmd+Enter builds (the page listens for it): the editor must not
    // also insert a blank line, as CodeMirror's default keymap would.
    keymap.of([{ key: 'Mod-Enter', run: () => true }]),
    keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...lintKeymap]),
    EditorState.tabSize.of(4),
    language(lang),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange(update.state.doc.toString());
    }),
  ];
}

function clampPos(doc, line, col) {
  if (line < 1) return 0;
  if (line > doc.lines) return doc.length;
  const l = doc.line(line);
  return Math.min(l.from + Math.max(col, 0), l.to);
}

/** One editor in `parent`, calling `onChange(text)` after every edit. */
export class Editor {
  constructor(parent, onChange) {
    this.onChange = onChange;
    this.states = new Map();
    this.path = null;
    this.view = new EditorView({
      parent,
      state: EditorState.create({ doc: '', extensions: extensions('', (text) => this.changed(text)) }),
    });
    this.view.contentDOM.setAttribute('aria-label', 'Code editor');
    // For tests and benchmarks: the editor of a host element.
    parent.layerlabEditor = this;
  }

  /** The text shown. */
  text() {
    return this.view.state.doc.toString();
  }

  changed(text) {
    this.onChange(text);
  }

  /**
   * Shows the file `path` with `text`, keeping each file's undo history:
   * a file seen before gets its old state back (with `text` applied as one
   * change if it differs).
   */
  open(path, text, lang, label) {
    if (this.path === path) {
      this.setText(text);
    } else {
      if (this.path !== null) this.states.set(this.path, this.view.state);
      let state = this.states.get(path);
      if (!state) {
        state = EditorState.create({ doc: text, extensions: extensions(lang, (t2) => this.changed(t2)) });
      }
      this.path = path;
      this.view.setState(state);
      this.setText(text);
    }
    if (label) this.view.contentDOM.setAttribute('aria-label', label);
  }

  /** Replaces the text when it differs (an outside change: sample, import). */
  setText(text) {
    const doc = this.view.state.doc.toString();
    if (doc === text) return;
    let start = 0;
    const max = Math.min(doc.length, text.length);
    while (start < max && doc.charCodeAt(start) === text.charCodeAt(start)) start++;
    let endOld = doc.length;
    let endNew = text.length;
    while (endOld > start && endNew > start && doc.charCodeAt(endOld - 1) === text.charCodeAt(endNew - 1)) {
      endOld--;
      endNew--;
    }
    this.view.dispatch({ changes: { from: start, to: endOld, insert: text.slice(start, endNew) } });
  }

  /** Forgets every file's state (a new project was loaded). */
  reset() {
    this.states.clear();
    const path = this.path;
    this.path = null;
    if (path !== null) this.states.delete(path);
  }

  /** Renames the saved state of a file. */
  rename(from, to) {
    if (this.path === from) this.path = to;
    const s = this.states.get(from);
    if (s) {
      this.states.delete(from);
      this.states.set(to, s);
    }
  }

  /**
   * Diagnostics as JSON: `[{line, col, endLine, endCol, severity, message,
   * source}]`, lines 1-based, columns 0-based UTF-16.
   */
  setDiagnostics(jsonText) {
    const doc = this.view.state.doc;
    const list = JSON.parse(jsonText).map((d) => {
      const from = clampPos(doc, d.line, d.col);
      const to = Math.max(from, clampPos(doc, d.endLine, d.endCol));
      return { from, to, severity: d.severity, message: d.message, source: d.source };
    });
    this.view.dispatch(setDiagnostics(this.view.state, list));
  }

  /** Highlights lines `from..=to` (1-based; 0 clears) and scrolls to them. */
  highlightLines(from, to) {
    const effects = [setHighlight.of({ from, to })];
    if (from > 0 && from <= this.view.state.doc.lines) {
      effects.push(EditorView.scrollIntoView(this.view.state.doc.line(from).from, { y: 'center' }));
    }
    this.view.dispatch({ effects });
  }

  /** Moves the cursor to the start of 1-based `line`, `col` (UTF-16), and focuses. */
  gotoLine(line, col) {
    const pos = clampPos(this.view.state.doc, line, col || 0);
    this.view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
    this.view.focus();
  }

  focus() {
    this.view.focus();
  }

  destroy() {
    this.view.destroy();
  }
}
