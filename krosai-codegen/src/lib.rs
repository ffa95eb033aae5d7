//! `krosai-codegen` turns an OpenAPI 3.0 document into Rust: types for every
//! schema, and (in later steps) an async client and axum server traits.
//!
//! The pipeline is: load (YAML or JSON) → apply an optional
//! [OpenAPI Overlay](https://spec.openapis.org/overlay/v1.0.0.html) → check
//! the version and structure → lower to a model that owns every naming and
//! typing decision → emit with `quote` → format with `prettyplease`.
//! Output is byte-for-byte deterministic.
//!
//! # In `build.rs`
//!
//! ```no_run
//! // build.rs of a crate that depends on krosai-codegen as a build-dependency;
//! // its src/lib.rs then says: include!(concat!(env!("OUT_DIR"), "/krosai.rs"));
//! if let Err(error) = krosai_codegen::Generator::new()
//!     .overlay("spec/overlay.yaml")
//!     .generate_to_out_dir("spec/openapi.yaml", "krosai.rs")
//! {
//!     // The error already names the file and JSON pointer of each problem.
//!     panic!("{error}");
//! }
//! ```
#![deny(missing_docs)]

pub mod diff;
mod emit;
mod error;
mod ident;
mod load;
mod lower;
pub mod model;
mod runtime;

use std::path::{Path, PathBuf};

pub use error::{Diagnostic, Error, Location};

/// Reads a spec (or overlay) document as the generator reads it, into
/// JSON: YAML or JSON by `name`'s extension and the text, YAML merge keys
/// applied, tags dropped, scalar keys as text, integers beyond 64 bits as
/// the nearest float. `name` is used for the format and in errors.
///
/// ```
/// let doc = krosai_codegen::parse_document("spec.yaml", "a: {200: -9223372036854776000}").unwrap();
/// assert_eq!(doc["a"]["200"], serde_json::json!(-9223372036854775808.0));
/// ```
pub fn parse_document(name: &str, text: &str) -> Result<serde_json::Value, Error> {
    load::parse_text(name, text).map_err(|e| e.in_file(name))
}

/// Generates Rust code from an OpenAPI 3.0 document.
///
/// ```
/// let spec = r#"
/// openapi: 3.0.3
/// info: { title: Pets, version: "1.0" }
/// paths: {}
/// components:
///   schemas:
///     Pet:
///       type: object
///       required: [name]
///       properties:
///         name: { type: string }
/// "#;
/// let code = krosai_codegen::Generator::new().generate_str(spec).unwrap();
/// assert!(code.contains("pub struct Pet"));
/// ```
#[derive(Debug, Clone)]
pub struct Generator {
    overlay: Option<PathBuf>,
    client: bool,
    server: bool,
    feature_gates: bool,
    runtime_path: Option<PathBuf>,
    closed_enums: bool,
    require_all_methods: bool,
}

impl Default for Generator {
    fn default() -> Self {
        Generator {
            overlay: None,
            client: true,
            server: true,
            feature_gates: false,
            runtime_path: None,
            closed_enums: false,
            require_all_methods: false,
        }
    }
}

/// A generator input: a file's name (for messages) and its text.
struct Input {
    name: String,
    text: String,
}

fn read(path: &Path) -> Result<Input, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(Input {
        name: path.display().to_string(),
        text,
    })
}

impl Generator {
    /// A generator with no overlay.
    pub fn new() -> Self {
        Generator::default()
    }

    /// Applies this OpenAPI Overlay 1.0 file to the spec before anything
    /// else. Corrections to an upstream spec live there, so that a new spec
    /// version is a plain file replacement.
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlay = Some(path.into());
        self
    }

    /// Whether to emit the `client` module (on by default). The client
    /// needs `reqwest` 0.13 and `futures-util` 0.3 in the consuming crate,
    /// and `krosai-runtime` with its `client` feature.
    pub fn client(mut self, yes: bool) -> Self {
        self.client = yes;
        self
    }

    /// Whether to emit the `server` module (on by default). The server
    /// needs `axum` 0.8 and `regex` 1 in the consuming crate, and
    /// `krosai-runtime` with its `server` feature.
    pub fn server(mut self, yes: bool) -> Self {
        self.server = yes;
        self
    }

    /// Puts `#[cfg(feature = "client")]` on the client module (and
    /// `"server"` on the server module), for a crate that declares those
    /// features. Off by default.
    pub fn feature_gates(mut self, yes: bool) -> Self {
        self.feature_gates = yes;
        self
    }

    /// For [`Generator::generate_crate`]: depend on the `krosai-runtime`
    /// crate in this directory instead of writing a copy of it into the
    /// generated crate. Crates generated side by side (with a shared target
    /// directory) then compile the runtime once.
    pub fn runtime_path(mut self, dir: impl Into<PathBuf>) -> Self {
        self.runtime_path = Some(dir.into());
        self
    }

    /// Generates closed enums and unions: a value the spec does not list
    /// is a decoding error, as in the code most generators write. Off by
    /// default, and best left off for clients: with open enums (the
    /// default) each string or integer enum has a last variant, `Unknown`,
    /// that keeps a value the spec does not list, and each `oneOf`/`anyOf`
    /// one that keeps, as JSON, a value no alternative holds, so that a
    /// client keeps decoding what a newer server sends; open enums are
    /// `#[non_exhaustive]` and string ones are not `Copy`. Closed enums are
    /// `Copy` and can be matched exhaustively, but one new value on the
    /// server makes a whole response undecodable. Generated servers refuse
    /// values outside the spec either way.
    pub fn closed_enums(mut self, yes: bool) -> Self {
        self.closed_enums = yes;
        self
    }

    /// Server trait methods without a default body: a server must write
    /// every one. Off by default: a method a server does not implement
    /// answers `501 Not Implemented` in the spec's error schema, so that a
    /// server for a large API can be written one operation at a time, and
    /// a new operation in the spec does not break servers that compiled
    /// before (they answer 501 for it until they implement it).
    pub fn require_all_methods(mut self, yes: bool) -> Self {
        self.require_all_methods = yes;
        self
    }

    fn lower(&self, input: &Input, document: serde_json::Value) -> Result<model::Api, Error> {
        let mut api = lower_document(document).map_err(|e| e.in_file(&input.name))?;
        for note in &mut api.notes {
            note.file.clone_from(&input.name);
        }
        if self.closed_enums {
            api.close_enums();
        }
        api.server_defaults = !self.require_all_methods;
        Ok(api)
    }

    fn emit_options(&self) -> emit::EmitOptions {
        emit::EmitOptions {
            client: self.client,
            server: self.server,
            feature_gates: self.feature_gates,
        }
    }

    /// The effective document (the spec with the overlay applied), as
    /// JSON. This is what the generated code describes, and what mock
    /// servers and testers should be given.
    pub fn bundle(&self, spec: impl AsRef<Path>) -> Result<serde_json::Value, Error> {
        let input = read(spec.as_ref())?;
        self.effective(&input)
    }

    /// Generates the formatted code for the spec at `spec`. What the
    /// generator had to leave out is not reported here: see
    /// [`Generator::generate_with_notes`].
    pub fn generate(&self, spec: impl AsRef<Path>) -> Result<String, Error> {
        self.generate_with_notes(spec)
            .map(|generated| generated.code)
    }

    /// Generates the formatted code for the spec at `spec`, with the notes
    /// on what the document holds that the generator does not map (an
    /// OpenAPI 3.2 `QUERY` operation, a path parameter the path does not
    /// use...), each at its node: the command line prints them as
    /// warnings, [`Generator::generate_to_out_dir`] as Cargo warnings.
    pub fn generate_with_notes(&self, spec: impl AsRef<Path>) -> Result<Generated, Error> {
        let input = read(spec.as_ref())?;
        self.generate_input(&input)
    }

    /// Generates the formatted code for a spec given as text (YAML or JSON).
    /// The overlay, if any, is still read from its file.
    pub fn generate_str(&self, spec: &str) -> Result<String, Error> {
        self.generate_input(&Input {
            name: String::new(),
            text: spec.to_owned(),
        })
        .map(|generated| generated.code)
    }

    /// Lowers the spec at `spec` to the [`model`] without emitting code:
    /// for tools that want the decisions (names, types, operations) the
    /// generator makes.
    pub fn model(&self, spec: impl AsRef<Path>) -> Result<model::Api, Error> {
        self.model_input(&read(spec.as_ref())?)
    }

    /// Lowers a spec given as text (YAML or JSON), like
    /// [`Generator::model`]; `name` names it in messages.
    pub fn model_str(&self, name: &str, spec: &str) -> Result<model::Api, Error> {
        self.model_input(&Input {
            name: name.to_owned(),
            text: spec.to_owned(),
        })
    }

    fn model_input(&self, input: &Input) -> Result<model::Api, Error> {
        let document = self.effective(input)?;
        self.lower(input, document)
    }

    /// Compares two versions of a spec, both read with this generator's
    /// overlay and options: what the new version changes for code that
    /// compiles against the generated crate, and for clients and servers
    /// of either version talking to each other (see [`diff`]).
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// let spec = |values: &str| format!(r#"
    /// openapi: 3.0.3
    /// info: {{ title: Pets, version: "1.0" }}
    /// paths: {{}}
    /// components:
    ///   schemas:
    ///     Kind: {{ type: string, enum: [{values}] }}
    /// "#);
    /// let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
    /// std::fs::write(&old, spec("cat, dog")).unwrap();
    /// std::fs::write(&new, spec("cat, dog, bird")).unwrap();
    /// let report = krosai_codegen::Generator::new().diff(&old, &new).unwrap();
    /// assert_eq!(report.bump(), krosai_codegen::diff::Bump::Minor);
    /// assert!(report.to_markdown().contains("value `bird` added"));
    /// ```
    pub fn diff(
        &self,
        old: impl AsRef<Path>,
        new: impl AsRef<Path>,
    ) -> Result<diff::Report, Error> {
        let old = self.model(old)?;
        let new = self.model(new)?;
        Ok(diff::compare(&old, &new, self.diff_options()))
    }

    /// What [`Generator::diff`] compares: the parts this generator emits.
    pub fn diff_options(&self) -> diff::DiffOptions {
        diff::DiffOptions {
            client: self.client,
            server: self.server,
        }
    }

    /// Generates code into `out`, writing only if the content changed (so
    /// that an unchanged spec does not trigger rebuilds). Returns the notes
    /// of [`Generator::generate_with_notes`].
    pub fn generate_file(
        &self,
        spec: impl AsRef<Path>,
        out: impl AsRef<Path>,
    ) -> Result<Vec<Diagnostic>, Error> {
        let generated = self.generate_with_notes(spec)?;
        write_if_changed(out.as_ref(), &generated.code)?;
        Ok(generated.notes)
    }

    /// For `build.rs`: generates into `$OUT_DIR/<file_name>` and prints
    /// `cargo:rerun-if-changed` for the spec and the overlay, so that
    /// replacing the spec regenerates on the next build. Returns the path
    /// written.
    pub fn generate_to_out_dir(
        &self,
        spec: impl AsRef<Path>,
        file_name: &str,
    ) -> Result<PathBuf, Error> {
        let spec = spec.as_ref();
        println!("cargo:rerun-if-changed={}", spec.display());
        if let Some(overlay) = &self.overlay {
            println!("cargo:rerun-if-changed={}", overlay.display());
        }
        let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| Error::Io {
            path: "$OUT_DIR".to_owned(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "OUT_DIR is not set; generate_to_out_dir is meant for build.rs",
            ),
        })?;
        let out = PathBuf::from(out_dir).join(file_name);
        for note in self.generate_file(spec, &out)? {
            println!("cargo:warning={note}");
        }
        Ok(out)
    }

    /// Writes a complete standalone crate into `dir`: a `Cargo.toml` with
    /// the dependencies the code needs (only those of the parts generated),
    /// `src/lib.rs` holding the code, and a copy of `krosai-runtime` in
    /// `dir/krosai-runtime` (unless [`Generator::runtime_path`] names one).
    /// The crate declares an empty `[workspace]` so that it builds where it
    /// is, even inside another workspace. `name` defaults to the directory
    /// name. Returns the notes of [`Generator::generate_with_notes`].
    pub fn generate_crate(
        &self,
        spec: impl AsRef<Path>,
        dir: impl AsRef<Path>,
        name: Option<&str>,
    ) -> Result<Vec<Diagnostic>, Error> {
        let dir = dir.as_ref();
        let input = read(spec.as_ref())?;
        let document = self.effective(&input)?;
        let api = self.lower(&input, document)?;
        let options = emit::EmitOptions {
            feature_gates: true,
            ..self.emit_options()
        };
        let code = emit::emit(&api, &options)?;
        let default_name = dir
            .canonicalize()
            .ok()
            .or_else(|| Some(dir.to_path_buf()))
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "generated-api".to_owned());
        let name = heck::ToKebabCase::to_kebab_case(name.unwrap_or(&default_name));
        let name = if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            format!("api-{name}")
        } else {
            name
        };
        let runtime = match &self.runtime_path {
            Some(path) => path
                .canonicalize()
                .map_err(|source| Error::Io {
                    path: path.display().to_string(),
                    source,
                })?
                .display()
                .to_string(),
            None => {
                for (file, text) in runtime::FILES {
                    write_if_changed(&dir.join(runtime::VENDORED_DIR).join(file), text)?;
                }
                runtime::VENDORED_DIR.to_owned()
            }
        };
        let manifest = emit::cargo_manifest(&api, &name, &options, &runtime);
        let lib = format!(
            "//! Generated by krosai-codegen from an OpenAPI document: see API_TITLE and API_VERSION.\n{code}"
        );
        write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
        write_if_changed(&dir.join("src").join("lib.rs"), &lib)?;
        Ok(api.notes)
    }

    fn effective(&self, input: &Input) -> Result<serde_json::Value, Error> {
        let mut document = load::parse_text(&input.name, &input.text).map_err(|e| {
            load::sniff_swagger(&input.text)
                .unwrap_or(e)
                .in_file(&input.name)
        })?;
        if let Some(path) = &self.overlay {
            let overlay_input = read(path)?;
            let overlay = load::parse_text(&overlay_input.name, &overlay_input.text)
                .map_err(|e| e.in_file(&overlay_input.name))?;
            load::apply_overlay(&mut document, &overlay)
                .map_err(|e| e.in_file(&overlay_input.name))?;
        }
        load::check_version(&document).map_err(|e| e.in_file(&input.name))?;
        Ok(document)
    }

    fn generate_input(&self, input: &Input) -> Result<Generated, Error> {
        let document = self.effective(input)?;
        let api = self.lower(input, document)?;
        Ok(Generated {
            code: emit::emit(&api, &self.emit_options())?,
            notes: api.notes,
        })
    }
}

/// What [`Generator::generate_with_notes`] makes.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Generated {
    /// The formatted code.
    pub code: String,
    /// What the document holds that the generator left out, each at its
    /// node (empty for most specs).
    pub notes: Vec<Diagnostic>,
}

/// The effective document → the model: 3.1/3.2 rewritten into what the
/// loader reads (the document as written is what the server serves),
/// checked by `openapiv3`, lowered.
fn lower_document(mut document: serde_json::Value) -> Result<model::Api, Error> {
    let version = load::check_version(&document)?;
    let served = serde_json::to_string(&document).unwrap_or_default();
    let notes = load::normalize(&mut document, version);
    let typed = load::document(&document)?;
    let mut api = lower::lower(&typed, &document, served)?;
    api.notes = notes;
    Ok(api)
}

/// Writes `content` to `path` unless the file already holds exactly that.
fn write_if_changed(path: &Path, content: &str) -> Result<(), Error> {
    // A file of another length differs; one of the same length is compared
    // as bytes (no UTF-8 check of what is about to be replaced anyway).
    let same_length = std::fs::metadata(path).is_ok_and(|meta| meta.len() == content.len() as u64);
    if same_length && std::fs::read(path).is_ok_and(|existing| existing == content.as_bytes()) {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| Error::Io {
            path: parent.display().to_string(),
            source,
        })?;
    }
    std::fs::write(path, content).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })
}
