//! Renders the page as it opens without parameters (the default preset at its first step) to
//! HTML, with Yew's server-side renderer, and writes it into a built `index.html`: the student
//! sees the first journey as soon as the HTML and CSS arrive, before the WebAssembly does, and
//! with JavaScript off. Trunk.toml's hook runs it on every build; the browser then hydrates the
//! page (src/ui/mod.rs).
//!
//! Usage: mailflow-prerender INDEX_HTML   (rewrites the file in place)

use std::process::ExitCode;

/// The app's div, as index.html writes it and as Trunk's minifier leaves it.
const ROOT_OPEN: [&str; 2] = ["<div id=\"mailflow\">", "<div id=mailflow>"];

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: mailflow-prerender INDEX_HTML");
        return ExitCode::from(2);
    };
    let page = match std::fs::read_to_string(&path) {
        Ok(page) => page,
        Err(e) => {
            eprintln!("mailflow-prerender: cannot read {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let app = match render() {
        Ok(app) => app,
        Err(e) => {
            eprintln!("mailflow-prerender: {e}");
            return ExitCode::FAILURE;
        }
    };
    match insert(&page, &app) {
        Ok(page) => match std::fs::write(&path, page) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("mailflow-prerender: cannot write {path}: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("mailflow-prerender: {path}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The app's HTML, with the markers Yew's hydration reads.
fn render() -> Result<String, String> {
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    let local = tokio::task::LocalSet::new();
    Ok(local.block_on(&runtime, yew::LocalServerRenderer::<mailflow::ui::App>::new().hydratable(true).render()))
}

/// The page with the app's HTML in its div, which must be empty.
fn insert(page: &str, app: &str) -> Result<String, String> {
    let (start, open) = ROOT_OPEN
        .iter()
        .find_map(|open| page.find(open).map(|at| (at, open)))
        .ok_or_else(|| format!("no {} in the page", ROOT_OPEN[0]))?;
    let inner = start + open.len();
    if !page[inner..].starts_with("</div>") {
        return Err("the app's div is not empty (prerendered twice?)".into());
    }
    let opened = format!("<div id=\"mailflow\" {}>", mailflow::ui::PRERENDERED);
    Ok(format!("{}{opened}{app}{}", &page[..start], &page[inner..]))
}
