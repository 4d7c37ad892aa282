//! If anything panics despite every check (invariant 6 of ARCHITECTURE.md), the page says so in words and
//! keeps what it showed, instead of freezing silently.

use wasm_bindgen::JsValue;

const NOTICE_ID: &str = "fatal-error";

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&JsValue::from_str(&message));
        show_fatal_error(&message);
    }));
}

/// Put a notice at the top of the page: what happened, what to do, and the details to report.
/// Text only (no HTML is parsed), and at most one notice however often it is called.
pub fn show_fatal_error(details: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id(NOTICE_ID).is_some() {
        return;
    }
    let Ok(notice) = document.create_element("div") else { return };
    notice.set_id(NOTICE_ID);
    notice.set_class_name("fatal-error");
    let _ = notice.set_attribute("role", "alert");
    let parts = [
        ("strong", "Mailflow stopped because of an internal error."),
        ("p", "Reload the page to start again. If it happens again, please report the details below."),
        ("pre", details),
    ];
    for (tag, text) in parts {
        if let Ok(el) = document.create_element(tag) {
            el.set_text_content(Some(text));
            let _ = notice.append_child(&el);
        }
    }
    let _ = body.insert_before(&notice, body.first_child().as_ref());
}
