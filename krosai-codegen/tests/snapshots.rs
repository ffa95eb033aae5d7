//! Whole-file snapshots of the generated code: the bundled KrosAI spec (with
//! and without its overlay) and every fixture spec under `tests/fixtures/`.
//!
//! A change to the generator or a spec shows up here as a diff to review
//! with `cargo insta review`; CI (`CI=true`) fails on an unreviewed change.
//! The fixtures' code is also compiled and exercised by the
//! `krosai-fixtures` crate, so no snapshot holds code nobody compiles.

use std::path::{Path, PathBuf};

use krosai_codegen::Generator;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn bundled_spec_with_overlay() {
    let code = Generator::new()
        .overlay(repo().join("spec/overlay.yaml"))
        .generate(repo().join("spec/openapi.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!("krosai", code);
}

#[test]
fn bundled_spec_without_overlay() {
    let code = Generator::new()
        .generate(repo().join("spec/openapi.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!("krosai_seed", code);
}

#[test]
fn fixtures() {
    let dir = repo().join("tests/fixtures");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "json")
        })
        .collect();
    specs.sort();
    assert!(!specs.is_empty(), "no fixtures in {}", dir.display());
    for spec in specs {
        let stem = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let code = Generator::new()
            .generate(&spec)
            .unwrap_or_else(|e| panic!("{e}"));
        insta::assert_snapshot!(format!("fixture_{stem}"), code);
    }
}

#[test]
fn generation_is_deterministic() {
    let generator = Generator::new().overlay(repo().join("spec/overlay.yaml"));
    let first = generator.generate(repo().join("spec/openapi.yaml"));
    let second = generator.generate(repo().join("spec/openapi.yaml"));
    let (first, second) = (first.expect("generates"), second.expect("generates"));
    assert_eq!(first.as_bytes(), second.as_bytes());
}
