//! Keeping the project across reloads. A snapshot ([`Snapshot::encode`])
//! goes to `localStorage` when it fits there (it is then read back at
//! once when the page opens); a larger one, such as an imported build
//! context of several megabytes, goes to IndexedDB, and `localStorage`
//! keeps only a marker saying so ([`IN_INDEXED_DB`]). Browsers give
//! `localStorage` about 5 MB per site; IndexedDB a share of the disk.
//!
//! IndexedDB answers through events: the functions here take a callback
//! that gets the outcome once.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransactionMode};

use crate::dom;
use crate::share::{Snapshot, STORAGE_KEY};

/// What `localStorage` holds under [`STORAGE_KEY`] while the project is
/// kept in IndexedDB.
pub const IN_INDEXED_DB: &str = "indexeddb:v1";

/// Snapshots longer than this (characters) go straight to IndexedDB: a
/// `localStorage` write that large would block the page and may well be
/// refused.
pub const LOCAL_MAX_CHARS: usize = 1 << 20;

const DB_NAME: &str = "layerlab";
const DB_VERSION: u32 = 1;
const DB_STORE: &str = "projects";
const DB_KEY: &str = "project";

thread_local! {
    /// Increases with every save: a slow IndexedDB write must not mark
    /// storage after a later save kept a small project in local storage.
    static SAVES: Cell<u64> = const { Cell::new(0) };
}

/// The snapshot kept in `localStorage`, if that is where the project is.
pub fn stored_snapshot() -> Option<Snapshot> {
    let text = dom::load(STORAGE_KEY)?;
    if text == IN_INDEXED_DB {
        return None;
    }
    Snapshot::decode(&text).ok()
}

/// True when the project was too large for `localStorage` and is kept in
/// IndexedDB ([`load_large`] reads it).
pub fn in_indexed_db() -> bool {
    dom::load(STORAGE_KEY).as_deref() == Some(IN_INDEXED_DB)
}

/// Saves an encoded snapshot where it fits. `failed` gets the reason when
/// the browser keeps it nowhere (a reload will then not bring it back).
pub fn save(encoded: String, failed: impl FnOnce(String) + 'static) {
    let seq = SAVES.with(|s| {
        s.set(s.get() + 1);
        s.get()
    });
    let was_large = in_indexed_db();
    if encoded.len() <= LOCAL_MAX_CHARS && dom::save(STORAGE_KEY, &encoded) {
        if was_large {
            // The large copy is stale now: free its space.
            with_store(IdbTransactionMode::Readwrite, |s| s.delete(&key()), |_| {});
        }
        return;
    }
    let value = JsValue::from_str(&encoded);
    drop(encoded);
    with_store(
        IdbTransactionMode::Readwrite,
        move |s| s.put_with_key(&value, &key()),
        move |result| {
            if SAVES.with(Cell::get) != seq {
                return;
            }
            match result {
                Ok(_) => {
                    if !dom::save(STORAGE_KEY, IN_INDEXED_DB) {
                        dom::forget(STORAGE_KEY);
                        failed("the browser's local storage refused even a small note".to_owned());
                    }
                }
                Err(e) => {
                    dom::forget(STORAGE_KEY);
                    failed(e);
                }
            }
        },
    );
}

/// Reads the project [`save`] kept in IndexedDB.
pub fn load_large(done: impl FnOnce(Result<Snapshot, String>) + 'static) {
    with_store(
        IdbTransactionMode::Readonly,
        |s| s.get(&key()),
        move |result| {
            done(result.and_then(|value| {
                let text = value
                    .as_string()
                    .ok_or_else(|| "nothing is stored".to_owned())?;
                Snapshot::decode(&text)
            }))
        },
    );
}

fn key() -> JsValue {
    JsValue::from_str(DB_KEY)
}

/// A callback called at most once, shared by the event handlers that may
/// call it (success, error, abort).
struct Once<T>(Rc<RefCell<Pending<T>>>);

/// The callback, until it is called.
type Pending<T> = Option<Box<dyn FnOnce(T)>>;

impl<T> Clone for Once<T> {
    fn clone(&self) -> Self {
        Once(self.0.clone())
    }
}

impl<T> Once<T> {
    fn new(f: impl FnOnce(T) + 'static) -> Self {
        Once(Rc::new(RefCell::new(Some(Box::new(f)))))
    }

    fn call(&self, value: T) {
        let f = self.0.borrow_mut().take();
        if let Some(f) = f {
            f(value);
        }
    }
}

/// A JavaScript event handler that runs `f` (once).
fn handler(f: impl FnOnce() + 'static) -> js_sys::Function {
    boxed_handler(Box::new(f))
}

/// One instance of the JavaScript glue for every handler (smaller wasm).
fn boxed_handler(f: Box<dyn FnOnce()>) -> js_sys::Function {
    Closure::once_into_js(move |_: JsValue| f()).unchecked_into()
}

fn message(e: &JsValue) -> String {
    if let Some(ex) = e.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", ex.name(), ex.message());
    }
    e.as_string()
        .unwrap_or_else(|| "IndexedDB refused the request".to_owned())
}

fn request_error(r: &IdbRequest) -> String {
    match r.error() {
        Ok(Some(ex)) => format!("{}: {}", ex.name(), ex.message()),
        _ => "IndexedDB refused the request".to_owned(),
    }
}

/// Opens the database (creating its store the first time).
fn open(done: impl FnOnce(Result<IdbDatabase, String>) + 'static) {
    let done = Once::new(done);
    let factory = web_sys::window().and_then(|w| w.indexed_db().ok().flatten());
    let Some(factory) = factory else {
        done.call(Err("IndexedDB is not available in this browser".to_owned()));
        return;
    };
    let request = match factory.open_with_u32(DB_NAME, DB_VERSION) {
        Ok(r) => r,
        Err(e) => {
            done.call(Err(message(&e)));
            return;
        }
    };
    let database = |r: &IdbRequest| r.result().and_then(|v| v.dyn_into::<IdbDatabase>());
    {
        let r = request.clone();
        request.set_onupgradeneeded(Some(&handler(move || {
            if let Ok(db) = database(&r) {
                let _ = db.create_object_store(DB_STORE);
            }
        })));
    }
    {
        let r = request.clone();
        let done = done.clone();
        request.set_onsuccess(Some(&handler(move || {
            done.call(database(&r).map_err(|e| message(&e)));
        })));
    }
    {
        let r = request.clone();
        request.set_onerror(Some(&handler(move || done.call(Err(request_error(&r))))));
    }
}

/// Runs `op` on the store in one transaction; `done` gets the request's
/// result once the transaction has completed, or why it failed.
fn with_store(
    mode: IdbTransactionMode,
    op: impl FnOnce(&IdbObjectStore) -> Result<IdbRequest, JsValue> + 'static,
    done: impl FnOnce(Result<JsValue, String>) + 'static,
) {
    let done = Once::new(done);
    open(move |db| {
        let db = match db {
            Ok(db) => db,
            Err(e) => return done.call(Err(e)),
        };
        let tx = match db.transaction_with_str_and_mode(DB_STORE, mode) {
            Ok(tx) => tx,
            Err(e) => return done.call(Err(message(&e))),
        };
        let request = match tx.object_store(DB_STORE).and_then(|s| op(&s)) {
            Ok(r) => r,
            Err(e) => return done.call(Err(message(&e))),
        };
        {
            let done = done.clone();
            tx.set_oncomplete(Some(&handler(move || {
                done.call(request.result().map_err(|e| message(&e)));
            })));
        }
        let failure = |tx: web_sys::IdbTransaction, done: Once<Result<JsValue, String>>| {
            handler(move || {
                let reason = match tx.error() {
                    Some(ex) => format!("{}: {}", ex.name(), ex.message()),
                    None => "the IndexedDB transaction was aborted".to_owned(),
                };
                done.call(Err(reason));
            })
        };
        tx.set_onerror(Some(&failure(tx.clone(), done.clone())));
        tx.set_onabort(Some(&failure(tx.clone(), done)));
        // Closing waits for the transaction to finish.
        db.close();
    });
}
