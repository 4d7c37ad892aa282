//! The browser entry point: mount the Yew app, nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    mailflow::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "Mailflow's app runs in the browser: serve it with `scripts/serve` (see README.md).\n\
         For the command line, build with `--features lab` and run `mailflow-lab`."
    );
    std::process::exit(2);
}
