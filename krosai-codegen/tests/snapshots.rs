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
fn generation_is_deterministic() {
    let generator = Generator::new().overlay(repo().join("spec/overlay.yaml"));
    let first = generator.generate(repo().join("spec/openapi.yaml"));
    let second = generator.generate(repo().join("spec/openapi.yaml"));
    let (first, second) = (first.expect("generates"), second.expect("generates"));
    assert_eq!(first.as_bytes(), second.as_bytes());
}
