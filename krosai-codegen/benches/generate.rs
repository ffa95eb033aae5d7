//! Generation time, from spec text to formatted Rust code, with a parsing
//! baseline for each spec so that results can be read as ratios.
//!
//! Run with `cargo bench -p krosai-codegen --bench generate`. The tree that
//! divan prints has one group per spec:
//!
//! - `bundled`: the project's own `spec/openapi.yaml` with `spec/overlay.yaml`,
//!   at the repository root (target: under 5 ms);
//! - `stripe`: `stripe.yaml` (about 4 MB) from the shared corpus, the largest
//!   spec the generator accepts (target: under 1 s). The corpus lives outside
//!   the repository and may be absent: the group is then skipped with a
//!   message, as it is if the generator rejects the spec.
//!
//! In each group, `generate` is the full pipeline (parse, overlay, version and
//! structure checks, lowering, emitting, `prettyplease` formatting) and
//! `parse_baseline` only parses the same YAML with `serde_yaml` into a
//! `serde_json::Value`: the floor that any generator reading that text pays.
//! `generate / parse_baseline` is the figure to track.
//!
//! Spec text is read once, outside the timed closures.

use std::path::{Path, PathBuf};

use divan::{black_box, Bencher};
use krosai_codegen::Generator;

fn main() {
    divan::main();
}

fn read(path: &Path) -> std::io::Result<String> {
    std::fs::read_to_string(path)
}

/// Parses YAML (or JSON, a subset of YAML) text into a JSON value, as the
/// baselines do.
fn parse(text: &str) -> serde_json::Value {
    serde_yaml::from_str(text).expect("the spec text is valid YAML")
}

/// The project's own spec and overlay, which must always generate: a
/// failure here is a bug, and panics.
mod bundled {
    use super::*;

    fn spec_path() -> PathBuf {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml")).to_path_buf()
    }

    fn overlay_path() -> PathBuf {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/overlay.yaml")).to_path_buf()
    }

    fn spec_text() -> String {
        let path = spec_path();
        read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Full generation of `spec/openapi.yaml` with `spec/overlay.yaml` applied,
    /// from the spec's text to the formatted code (`Generator::generate_str`).
    /// The overlay is small and is read from its file on every iteration, as
    /// the generator only takes it as a path.
    #[divan::bench]
    fn generate(bencher: Bencher) {
        let text = spec_text();
        let generator = Generator::new().overlay(overlay_path());
        if let Err(error) = generator.generate_str(&text) {
            panic!("the bundled spec does not generate:\n{error}");
        }
        bencher.bench(|| generator.generate_str(black_box(&text)).unwrap());
    }

    /// Baseline: parsing the texts of `spec/openapi.yaml` and
    /// `spec/overlay.yaml` into `serde_json::Value`s with `serde_yaml`, and
    /// nothing else.
    #[divan::bench]
    fn parse_baseline(bencher: Bencher) {
        let text = spec_text();
        let overlay_path = overlay_path();
        let overlay = read(&overlay_path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", overlay_path.display()));
        bencher.bench(|| (parse(black_box(&text)), parse(black_box(&overlay))));
    }
}

/// Stripe's spec from the shared corpus, which is outside the repository.
/// One generation takes seconds, hence the small sample count.
mod stripe {
    use super::*;

    const PATH: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/corpus/stripe.yaml"
    );

    /// The spec's text, or `None` (with a message saying why this bench is
    /// skipped) if the corpus is not on this machine.
    fn spec_text(bench: &str) -> Option<String> {
        match read(Path::new(PATH)) {
            Ok(text) => Some(text),
            Err(error) => {
                eprintln!("skipping stripe::{bench}: cannot read {PATH}: {error}");
                None
            }
        }
    }

    /// Full generation of Stripe's spec (no overlay), from the text to the
    /// formatted code (`Generator::generate_str`). Skipped, with a message,
    /// if the file is missing or the generator rejects it.
    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn generate(bencher: Bencher) {
        let Some(text) = spec_text("generate") else {
            return;
        };
        let generator = Generator::new();
        if let Err(error) = generator.generate_str(&text) {
            eprintln!("skipping stripe::generate: the generator rejects {PATH}:\n{error}");
            return;
        }
        bencher.bench(|| generator.generate_str(black_box(&text)).unwrap());
    }

    /// Baseline: parsing Stripe's spec text into a `serde_json::Value` with
    /// `serde_yaml`, and nothing else. Skipped, with a message, if the file is
    /// missing.
    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn parse_baseline(bencher: Bencher) {
        let Some(text) = spec_text("parse_baseline") else {
            return;
        };
        if let Err(error) = serde_yaml::from_str::<serde_json::Value>(&text) {
            eprintln!("skipping stripe::parse_baseline: {PATH} is not valid YAML: {error}");
            return;
        }
        bencher.bench(|| parse(black_box(&text)));
    }
}
