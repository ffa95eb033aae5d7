//! Generates the KrosAI Cockpit API code from `spec/openapi.yaml` and its
//! corrections in `spec/overlay.yaml`, into `$OUT_DIR/krosai.rs`.
//!
//! Replacing `spec/openapi.yaml` with a new upstream version regenerates on
//! the next build (`cargo:rerun-if-changed`).

fn main() {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml");
    let overlay = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/overlay.yaml");
    if let Err(error) = krosai_codegen::Generator::new()
        .overlay(overlay)
        .feature_gates(true)
        .generate_to_out_dir(spec, "krosai.rs")
    {
        // Each line names the file and the JSON pointer of a problem.
        eprintln!("{error}");
        std::process::exit(1);
    }
}
