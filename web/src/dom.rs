//! Small browser helpers: the URL, local storage, downloads, the clipboard
//! and the clock. Each fails quietly (returns `None` or `false`) where a
//! browser refuses, so the page keeps working.

use wasm_bindgen::{JsCast, JsValue};

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// Milliseconds since the page loaded (for measuring, never for results).
pub fn now_ms() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Runs `f` and records it in the page's performance timeline as a
/// measure named `name` (one entry per call), so the profiler and the
/// browser tests see each engine build (`layerlab:build`). Outside the
/// browser (unit tests) it only runs `f`.
pub fn measure<T>(name: &str, f: impl FnOnce() -> T) -> T {
    #[cfg(target_arch = "wasm32")]
    {
        let performance = window().and_then(|w| w.performance());
        let start = format!("{name}:start");
        if let Some(p) = &performance {
            let _ = p.mark(&start);
        }
        let out = f();
        if let Some(p) = &performance {
            let _ = p.measure_with_start_mark(name, &start);
            p.clear_marks_with_mark_name(&start);
        }
        out
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = name;
        f()
    }
}

/// The URL fragment without `#`.
pub fn fragment() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// A query parameter of the page's URL.
pub fn query_param(name: &str) -> Option<String> {
    let search = window()?.location().search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The page's address without query and fragment (works from any
/// sub-path).
pub fn page_base() -> String {
    let Some(w) = window() else {
        return String::new();
    };
    let loc = w.location();
    format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    )
}

/// Replaces the fragment without adding a history entry.
pub fn replace_fragment(fragment: &str) {
    if let Some(w) = window() {
        if let Ok(history) = w.history() {
            let search = w.location().search().unwrap_or_default();
            let url = if fragment.is_empty() {
                format!("{}{search}", page_base())
            } else {
                format!("{}{search}#{fragment}", page_base())
            };
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok()?
}

/// Reads `key` from local storage.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Writes `key` to local storage; false when the browser refuses (full,
/// or storage disabled).
pub fn save(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Removes `key` from local storage.
pub fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Offers `bytes` as a download named `name`.
pub fn download(name: &str, bytes: &[u8], mime: &str) -> bool {
    let run = || -> Option<()> {
        let document = window()?.document()?;
        let array = js_sys::Uint8Array::from(bytes);
        let parts = js_sys::Array::of1(&array.buffer());
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let blob =
            web_sys::Blob::new_with_buffer_source_sequence_and_options(&parts, &options).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let a: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
        a.set_href(&url);
        a.set_download(name);
        a.click();
        let _ = web_sys::Url::revoke_object_url(&url);
        Some(())
    };
    run().is_some()
}

/// Copies `text` to the clipboard (best effort).
pub fn copy_text(text: &str) -> bool {
    let Some(w) = window() else {
        return false;
    };
    let clipboard = w.navigator().clipboard();
    let _ = clipboard.write_text(text);
    true
}

/// Focuses the element with `id`, if there is one.
pub fn focus(id: &str) {
    if let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Scrolls the page so that the element with `id` is in view.
pub fn scroll_into_view(id: &str) {
    if let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.scroll_into_view();
    }
}

/// Scrolls the element with `id` to its end.
pub fn scroll_to_end(id: &str) {
    if let Some(el) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.set_scroll_top(el.scroll_height());
    }
}
