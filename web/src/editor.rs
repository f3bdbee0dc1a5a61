//! The code editor: wasm-bindgen bindings to the CodeMirror 6 bundle
//! (`web/editor/src/editor.js`, loaded by `index.html` as the global
//! `LayerLabEditor`), and the conversion of the engine's UTF-8 byte spans
//! to what CodeMirror counts (1-based lines, UTF-16 columns).
//!
//! The editor knows nothing about Docker: it shows text and the diagnostics
//! the bridge computed.

use js_sys::Function;
use layerlab_syntax::{LineIndex, Span};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

#[wasm_bindgen]
extern "C" {
    /// A CodeMirror view with one saved state (and undo history) per file.
    #[wasm_bindgen(js_namespace = LayerLabEditor, js_name = Editor)]
    pub type JsEditor;

    /// Creates an editor in `parent`; `on_change(text)` runs after every edit.
    #[wasm_bindgen(constructor, js_namespace = LayerLabEditor, js_class = Editor)]
    pub fn new(parent: &HtmlElement, on_change: &Function) -> JsEditor;

    /// Shows file `path` with `text` in `language` (a legacy-mode name).
    #[wasm_bindgen(method)]
    pub fn open(this: &JsEditor, path: &str, text: &str, language: &str, label: &str);

    /// Replaces the text when it differs.
    #[wasm_bindgen(method, js_name = setText)]
    pub fn set_text(this: &JsEditor, text: &str);

    /// Forgets every file's saved state.
    #[wasm_bindgen(method)]
    pub fn reset(this: &JsEditor);

    /// Moves a file's saved state to its new path.
    #[wasm_bindgen(method)]
    pub fn rename(this: &JsEditor, from: &str, to: &str);

    /// Diagnostics as JSON (see [`EditorDiagnostic`]).
    #[wasm_bindgen(method, js_name = setDiagnostics)]
    pub fn set_diagnostics(this: &JsEditor, json: &str);

    /// Highlights lines `from..=to` (0 clears).
    #[wasm_bindgen(method, js_name = highlightLines)]
    pub fn highlight_lines(this: &JsEditor, from: u32, to: u32);

    /// Puts the cursor on `line`, UTF-16 `column`, and focuses the editor.
    #[wasm_bindgen(method, js_name = gotoLine)]
    pub fn goto_line(this: &JsEditor, line: u32, column: u32);

    /// Removes the editor from the page.
    #[wasm_bindgen(method)]
    pub fn destroy(this: &JsEditor);
}

/// True when the editor bundle is loaded (it is a separate script).
pub fn available() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("LayerLabEditor"))
        .map(|v| !v.is_undefined())
        .unwrap_or(false)
}

/// A diagnostic as the editor takes it: 1-based lines, 0-based UTF-16
/// columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditorDiagnostic {
    /// First line.
    pub line: usize,
    /// Column on the first line.
    pub col: usize,
    /// Last line.
    #[serde(rename = "endLine")]
    pub end_line: usize,
    /// Column on the last line (exclusive).
    #[serde(rename = "endCol")]
    pub end_col: usize,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// The message shown on hover.
    pub message: String,
    /// Who said it (`parser`, `BuildKit check JSONArgsRecommended`).
    pub source: String,
}

/// A UTF-8 byte span of `text` as editor lines and UTF-16 columns.
pub fn editor_range(index: &LineIndex<'_>, span: Span) -> (usize, usize, usize, usize) {
    let start = index.position(span.start);
    let end = index.position(span.end.max(span.start));
    (
        start.line,
        index.utf16_column(span.start),
        end.line,
        index.utf16_column(span.end.max(span.start)),
    )
}

/// The diagnostics as the JSON the editor's `setDiagnostics` reads.
pub fn diagnostics_json(list: &[EditorDiagnostic]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".to_owned())
}

/// The legacy-mode name for a file path (empty: plain text).
pub fn language_for(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    if lower == "dockerfile" || lower.starts_with("dockerfile.") || lower.ends_with(".dockerfile") {
        return "dockerfile";
    }
    match lower.rsplit_once('.').map(|(_, ext)| ext) {
        Some("cs") => "csharp",
        Some("csproj" | "xml" | "props" | "targets" | "html" | "htm" | "svg" | "sln") => {
            if lower.ends_with(".sln") {
                ""
            } else {
                "xml"
            }
        }
        Some("json") => "json",
        Some("js" | "mjs" | "cjs" | "ts" | "jsx" | "tsx") => "javascript",
        Some("css") => "css",
        Some("py") => "python",
        Some("go") => "go",
        Some("toml") => "toml",
        Some("yml" | "yaml") => "yaml",
        Some("sh" | "bash") => "shell",
        _ => "",
    }
}

/// A human name for the language of a file.
pub fn language_label(path: &str) -> &'static str {
    match language_for(path) {
        "dockerfile" => "Dockerfile",
        "csharp" => "C#",
        "xml" => "XML",
        "json" => "JSON",
        "javascript" => "JavaScript",
        "css" => "CSS",
        "python" => "Python",
        "go" => "Go",
        "toml" => "TOML",
        "yaml" => "YAML",
        "shell" => "Shell",
        _ => "Plain text",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_spans_become_utf16_columns() {
        // "é" is two UTF-8 bytes and one UTF-16 unit; "😀" four and two.
        let text = "FROM a\nLABEL x=\"é😀\" y=1\n";
        let index = LineIndex::new(text);
        let y = text.find("y=1").unwrap_or_default();
        let range = editor_range(&index, Span::new(y, y + 3));
        assert_eq!(range, (2, 14, 2, 17));
        let whole = editor_range(&index, Span::new(0, 6));
        assert_eq!(whole, (1, 0, 1, 6));
    }

    #[test]
    fn languages_by_file_name() {
        assert_eq!(language_for("Dockerfile"), "dockerfile");
        assert_eq!(language_for("build/Dockerfile.dev"), "dockerfile");
        assert_eq!(language_for("aspnetapp/Program.cs"), "csharp");
        assert_eq!(language_for("aspnetapp/aspnetapp.csproj"), "xml");
        assert_eq!(language_for("aspnetapp.sln"), "");
        assert_eq!(language_for("package.json"), "json");
        assert_eq!(language_for("main.go"), "go");
        assert_eq!(language_for(".dockerignore"), "");
    }
}
