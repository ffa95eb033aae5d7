//! The `krosai-codegen` command line: `generate`, `check`, `diff`, `bundle`.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use krosai_codegen::{Error, Generator};

/// Generate Rust types, a client and server traits from an OpenAPI 3.0, 3.1 or 3.2 document.
#[derive(Debug, Parser)]
#[command(name = "krosai-codegen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate Rust code from SPEC (to stdout, a file, or a whole crate).
    Generate {
        /// The OpenAPI 3.0, 3.1 or 3.2 document (YAML or JSON).
        spec: PathBuf,
        /// An OpenAPI Overlay 1.0 document applied to SPEC first.
        #[arg(long)]
        overlay: Option<PathBuf>,
        /// Write the code to this file instead of stdout.
        #[arg(short, long, conflicts_with = "crate_dir")]
        output: Option<PathBuf>,
        /// Write a complete standalone crate (Cargo.toml and src/lib.rs) into this directory.
        #[arg(long = "crate", value_name = "DIR")]
        crate_dir: Option<PathBuf>,
        /// The package name of the generated crate (with --crate).
        #[arg(long, requires = "crate_dir")]
        name: Option<String>,
        #[command(flatten)]
        shape: Shape,
        /// With --crate: depend on the krosai-runtime crate in this
        /// directory instead of writing a copy of it into the crate.
        #[arg(long, value_name = "DIR", requires = "crate_dir")]
        runtime_path: Option<PathBuf>,
    },
    /// Exit 0 if FILE is exactly what `generate SPEC` writes, 1 (with a diff) if not.
    Check {
        /// The OpenAPI 3.0, 3.1 or 3.2 document (YAML or JSON).
        spec: PathBuf,
        /// The generated file to compare.
        file: PathBuf,
        /// An OpenAPI Overlay 1.0 document applied to SPEC first.
        #[arg(long)]
        overlay: Option<PathBuf>,
        /// Compare with what `generate` writes with these options.
        #[command(flatten)]
        shape: Shape,
    },
    /// Compare two versions of a spec: what NEW changes for code that compiles
    /// against the generated crate, and for old clients against new servers.
    ///
    /// Exit status: 0 when nothing breaks, 1 when something does (the Rust
    /// API, or deployed clients against the new server), 2 on bad input.
    Diff {
        /// The old version (YAML or JSON; `-` reads it from stdin, e.g.
        /// `git show main:spec/openapi.yaml | krosai-codegen diff - spec/openapi.yaml`).
        old: PathBuf,
        /// The new version.
        new: PathBuf,
        /// An OpenAPI Overlay 1.0 document applied to both versions first.
        #[arg(long)]
        overlay: Option<PathBuf>,
        /// Apply this overlay to OLD instead of --overlay (when the overlay
        /// changed too).
        #[arg(long, value_name = "FILE")]
        old_overlay: Option<PathBuf>,
        /// The report's format.
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        format: Format,
        /// Exit 0 even when something breaks (a deliberate major bump).
        #[arg(long)]
        allow_breaking: bool,
        /// The options the crate is generated with.
        #[command(flatten)]
        shape: Shape,
    },
    /// Print the effective document (SPEC with the overlay applied) as JSON.
    Bundle {
        /// The OpenAPI 3.0, 3.1 or 3.2 document (YAML or JSON).
        spec: PathBuf,
        /// An OpenAPI Overlay 1.0 document applied to SPEC first.
        #[arg(long)]
        overlay: Option<PathBuf>,
    },
}

/// What the generated code holds (for `diff`: how the crate compared is
/// generated).
#[derive(Debug, Clone, Copy, Args)]
struct Shape {
    /// No client (with --crate, none of its dependencies either).
    #[arg(long)]
    no_client: bool,
    /// No server (with --crate, none of its dependencies either).
    #[arg(long)]
    no_server: bool,
    /// Closed enums and unions: a value the spec does not list is a
    /// decoding error instead of an `Unknown` variant (see the README).
    #[arg(long)]
    closed_enums: bool,
    /// Server trait methods without the default bodies that answer 501:
    /// the compiler then demands every one.
    #[arg(long)]
    require_all_methods: bool,
}

impl Shape {
    fn apply(self, generator: Generator) -> Generator {
        generator
            .client(!self.no_client)
            .server(!self.no_server)
            .closed_enums(self.closed_enums)
            .require_all_methods(self.require_all_methods)
    }
}

/// How `diff` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A summary to paste into the pull request that bumps the spec.
    Markdown,
    /// The changes as JSON, for tools.
    Json,
}

fn generator(overlay: Option<PathBuf>) -> Generator {
    match overlay {
        Some(path) => Generator::new().overlay(path),
        None => Generator::new(),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            report(&error);
            ExitCode::from(2)
        }
    }
}

fn report(error: &Error) {
    let mut stderr = std::io::stderr().lock();
    match error {
        Error::Spec(diagnostics) => {
            for diagnostic in diagnostics {
                let _ = writeln!(stderr, "error: {diagnostic}");
            }
            if diagnostics.len() > 1 {
                let _ = writeln!(stderr, "{} errors", diagnostics.len());
            }
        }
        other => {
            let _ = writeln!(stderr, "error: {other}");
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Generate {
            spec,
            overlay,
            output,
            crate_dir,
            name,
            shape,
            runtime_path,
        } => {
            let mut generator = shape.apply(generator(overlay));
            if let Some(path) = runtime_path {
                generator = generator.runtime_path(path);
            }
            let notes = if let Some(dir) = crate_dir {
                generator.generate_crate(&spec, &dir, name.as_deref())?
            } else if let Some(output) = output {
                generator.generate_file(&spec, &output)?
            } else {
                let generated = generator.generate_with_notes(&spec)?;
                write_stdout(generated.code.as_bytes())?;
                generated.notes
            };
            for note in notes {
                eprintln!("warning: {note}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            spec,
            file,
            overlay,
            shape,
        } => {
            let expected = shape.apply(generator(overlay)).generate(&spec)?;
            let actual = std::fs::read_to_string(&file).map_err(|source| Error::Io {
                path: file.display().to_string(),
                source,
            })?;
            if actual == expected {
                return Ok(ExitCode::SUCCESS);
            }
            let diff = similar::TextDiff::from_lines(&actual, &expected);
            let mut stdout = String::new();
            stdout.push_str(&format!(
                "{} is not what `generate {}` writes:\n",
                file.display(),
                spec.display()
            ));
            stdout.push_str(
                &diff
                    .unified_diff()
                    .context_radius(2)
                    .header(&file.display().to_string(), "generated")
                    .to_string(),
            );
            write_stdout(stdout.as_bytes())?;
            Ok(ExitCode::from(1))
        }
        Command::Diff {
            old,
            new,
            overlay,
            old_overlay,
            format,
            allow_breaking,
            shape,
        } => {
            let configure = |overlay: Option<PathBuf>| shape.apply(generator(overlay));
            let new_generator = configure(overlay.clone());
            let old_generator = configure(old_overlay.or(overlay));
            let old_model = if old.as_os_str() == "-" {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(
                    |source| Error::Io {
                        path: "<stdin>".to_owned(),
                        source,
                    },
                )?;
                old_generator.model_str("<stdin>", &text)?
            } else {
                old_generator.model(&old)?
            };
            let new_model = new_generator.model(&new)?;
            let report =
                krosai_codegen::diff::compare(&old_model, &new_model, new_generator.diff_options());
            let text = match format {
                Format::Markdown => report.to_markdown(),
                Format::Json => {
                    let mut text = serde_json::to_string_pretty(&report.to_json())
                        .map_err(|e| Error::Internal(e.to_string()))?;
                    text.push('\n');
                    text
                }
            };
            write_stdout(text.as_bytes())?;
            Ok(if report.is_breaking() && !allow_breaking {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Bundle { spec, overlay } => {
            let document = generator(overlay).bundle(&spec)?;
            let mut text = serde_json::to_string_pretty(&document)
                .map_err(|e| Error::Internal(e.to_string()))?;
            text.push('\n');
            write_stdout(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(Error::Io {
            path: "<stdout>".to_owned(),
            source,
        }),
    }
}
