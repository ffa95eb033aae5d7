//! Generates the code of every fixture spec (and of the upstream KrosAI spec,
//! without its overlay) into `OUT_DIR`, for `src/lib.rs` to include.
//!
//! Everything is generated (types, client and server), so that every
//! fixture proves all three parts compile, warning-free.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn generate(spec: &Path, file_name: &str) -> Result<(), String> {
    krosai_codegen::Generator::new()
        .generate_to_out_dir(spec, file_name)
        .map(|_| ())
        // The error already names the file and the JSON pointer.
        .map_err(|error| error.to_string())
}

/// The additive changes among the diff fixtures whose new bodies an old
/// client is shown to decode.
const ADDITIVE: [&str; 4] = [
    "enum_value_added",
    "response_field_added",
    "variant_added",
    "response_added",
];

fn main() -> ExitCode {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let fixtures = manifest_dir.join("fixtures");
    let lib = manifest_dir.join("src").join("lib.rs");
    // A fixture added or removed must regenerate too, not only one edited.
    println!("cargo:rerun-if-changed={}", fixtures.display());
    println!("cargo:rerun-if-changed={}", lib.display());

    let mut specs: Vec<PathBuf> = match std::fs::read_dir(&fixtures) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
            .collect(),
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", fixtures.display());
            return ExitCode::FAILURE;
        }
    };
    specs.sort();

    let lib_text = std::fs::read_to_string(&lib).unwrap_or_default();
    let mut failures = Vec::new();
    for spec in &specs {
        let Some(stem) = spec.file_stem().and_then(|s| s.to_str()) else {
            failures.push(format!("{}: the file name is not UTF-8", spec.display()));
            continue;
        };
        let file_name = format!("{stem}.rs");
        if let Err(error) = generate(spec, &file_name) {
            failures.push(error);
        }
        // Generated but never compiled would prove nothing.
        if !lib_text.contains(&format!("\"/{file_name}\"")) {
            failures.push(format!(
                "{}: src/lib.rs does not include {file_name}; add \
                 `pub mod {stem} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{file_name}\")); }}`",
                spec.display()
            ));
        }
    }
    // Fixtures whose closed enums and unions (`closed_enums`) are tested too.
    for stem in ["enums", "one_of"] {
        let spec = fixtures.join(format!("{stem}.yaml"));
        let generated = krosai_codegen::Generator::new()
            .closed_enums(true)
            .generate_to_out_dir(&spec, &format!("{stem}_closed.rs"));
        if let Err(error) = generated {
            failures.push(error.to_string());
        }
    }
    // A spec bump: the client of the diff fixtures' base (the old version)
    // and the types of each additive change (the new version), to show
    // that an old client decodes what a new server sends.
    let diff = fixtures.join("diff");
    println!("cargo:rerun-if-changed={}", diff.display());
    let base = diff.join("base.yaml");
    let old = krosai_codegen::Generator::new()
        .server(false)
        .generate_to_out_dir(&base, "diff_old.rs");
    if let Err(error) = old {
        failures.push(error.to_string());
    }
    for change in ADDITIVE {
        let generated = krosai_codegen::Generator::new()
            .client(false)
            .server(false)
            .overlay(diff.join("changes").join(format!("{change}.yaml")))
            .generate_to_out_dir(&base, &format!("diff_{change}.rs"));
        if let Err(error) = generated {
            failures.push(error.to_string());
        }
    }
    // The upstream spec as published, without the overlay's corrections.
    let seed = manifest_dir.join("..").join("spec").join("openapi.yaml");
    if let Err(error) = generate(&seed, "krosai_seed.rs") {
        failures.push(error);
    }

    if failures.is_empty() {
        return ExitCode::SUCCESS;
    }
    for failure in &failures {
        // stderr is shown in full when the build script fails; the warning
        // also shows in cargo's summary.
        eprintln!("error: {failure}");
        println!("cargo:warning={}", failure.replace('\n', " | "));
    }
    ExitCode::FAILURE
}
