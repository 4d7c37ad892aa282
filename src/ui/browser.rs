//! The few things the app asks of the browser directly: the address it was opened with,
//! fetching a scenario file from the same host, the clipboard, saving a file, timing.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The page's window. There is none when the UI is rendered to HTML at build time (feature
/// `prerender`, on the host, where calling the browser would panic): every function here then
/// answers as for a page opened without an address, which is the page that is prerendered.
fn window() -> Option<web_sys::Window> {
    #[cfg(target_arch = "wasm32")]
    return web_sys::window();
    #[cfg(not(target_arch = "wasm32"))]
    return None;
}

/// The query string and fragment of the page's address.
pub fn location_parts() -> (String, String) {
    let location = window().map(|w| w.location());
    let query = location.as_ref().and_then(|l| l.search().ok()).unwrap_or_default();
    let hash = location.as_ref().and_then(|l| l.hash().ok()).unwrap_or_default();
    (query, hash)
}

/// The page's address without query or fragment: what links are built on.
pub fn base_address() -> String {
    let Some(location) = window().map(|w| w.location()) else { return String::new() };
    format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default())
}

fn js_error(e: JsValue) -> String {
    e.as_string().or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message()))).unwrap_or_else(|| "unknown error".into())
}

/// The text of a file on the same host, by a relative URL.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let window = window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url)).await.map_err(js_error)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| format!("{url}: no response"))?;
    if !response.ok() {
        return Err(format!("{url}: the server answered {} {}", response.status(), response.status_text()));
    }
    let text = JsFuture::from(response.text().map_err(js_error)?).await.map_err(js_error)?;
    text.as_string().ok_or_else(|| format!("{url}: not text"))
}

/// Put text on the clipboard; `Err` where the browser refuses (then the text is shown to copy).
pub async fn copy(text: &str) -> Result<(), String> {
    let clipboard = window().ok_or("no window")?.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text)).await.map(|_| ()).map_err(js_error)
}

/// Offer a file to save, made in the page: no request leaves it.
pub fn save(filename: &str, mime: &str, contents: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(js_error)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js_error)?;
    let document = window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(js_error)?.dyn_into().map_err(|_| "not an anchor".to_string())?;
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    web_sys::Url::revoke_object_url(&url).map_err(js_error)
}

/// Run `f` once the browser has painted the page as it is now: a frame callback runs just
/// before its frame is painted, so the task it queues runs after. A hidden page paints nothing
/// and runs `f` when it is shown.
pub fn after_paint(f: impl FnOnce() + 'static) {
    let Some(window) = window() else { return f() };
    let frame = Closure::once_into_js(move || gloo_timers::callback::Timeout::new(0, f).forget());
    let _ = window.request_animation_frame(frame.unchecked_ref());
}

/// A named moment on the page's performance timeline (what scripts/bench measures).
pub fn mark(name: &str) {
    let _ = window().and_then(|w| w.performance()).map(|p| p.mark(name));
}

/// Send a JSON message to the page that embeds this one in an iframe, if any: to that page's
/// origin when the browser tells it (`location.ancestorOrigins`, else the referrer), so that no
/// other page hears it; to any origin only when neither says (a page with a strict referrer
/// policy). Nothing happens outside an iframe.
pub fn post_to_embedding_page(json: &str) {
    let Some(window) = window() else { return };
    let Some(parent) = window.parent().ok().flatten() else { return };
    if parent == window {
        return;
    }
    // Chromium and Safari have `ancestorOrigins`; Firefox does not, hence the referrer after it.
    let from_ancestors = js_sys::Reflect::get(&window.location(), &JsValue::from_str("ancestorOrigins"))
        .ok()
        .filter(|o| !o.is_undefined())
        .and_then(|o| js_sys::Reflect::get(&o, &JsValue::from_f64(0.0)).ok())
        .and_then(|o| o.as_string());
    let from_referrer = window
        .document()
        .map(|d| d.referrer())
        .filter(|r| !r.is_empty())
        .and_then(|r| web_sys::Url::new(&r).ok())
        .map(|u| u.origin());
    let origin = from_ancestors.or(from_referrer).unwrap_or_else(|| "*".to_owned());
    if let Ok(value) = js_sys::JSON::parse(json) {
        let _ = parent.post_message(&value, &origin);
    }
}

/// Where the choice of single-key shortcuts is kept between visits.
const SINGLE_KEYS: &str = "mailflow-single-keys";

/// Whether the single-character shortcuts (K, J, L, +, −) are on: they are unless the student
/// turned them off (a speech-input user may need them off, WCAG 2.1.4).
pub fn single_keys_on() -> bool {
    let stored = window().and_then(|w| w.local_storage().ok().flatten()).and_then(|s| s.get_item(SINGLE_KEYS).ok().flatten());
    stored.as_deref() != Some("off")
}

/// Turn the single-character shortcuts on or off, for this visit and the next (where the
/// browser keeps storage; a private window forgets it).
pub fn set_single_keys(on: bool) {
    if let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = if on { storage.remove_item(SINGLE_KEYS) } else { storage.set_item(SINGLE_KEYS, "off") };
    }
}
