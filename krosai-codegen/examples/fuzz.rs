//! A structure-aware fuzzer for the generator: it mutates real specs (the
//! nodes of their JSON, not their bytes), runs the `krosai-codegen` binary
//! on each mutant in a process of its own, and fails on any panic, crash
//! (a signal, a stack overflow) or hang. A sample of the mutants that
//! generate is then compiled as crates, which must check warning-free.
//!
//! ```sh
//! cargo build --release -p krosai-codegen
//! cargo run --release -p krosai-codegen --example fuzz -- \
//!     --cases 2000 --seed 1 --compile 3 spec/openapi.yaml tests/fixtures/*.yaml
//! ```
//!
//! Same seed, same mutants. Failing mutants are written to `--keep DIR`
//! (default `target/fuzz-findings`) with what went wrong; turn each into a
//! regression test (`krosai-codegen/tests/hostile.rs`) once fixed.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

/// A small, seeded pseudo-random source (xorshift64*): the same seed gives
/// the same mutants on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

struct Options {
    cases: usize,
    seed: u64,
    timeout: Duration,
    compile: usize,
    keep: PathBuf,
    specs: Vec<PathBuf>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        cases: 500,
        seed: 1,
        timeout: Duration::from_secs(20),
        compile: 0,
        keep: PathBuf::from("target/fuzz-findings"),
        specs: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--cases" => {
                options.cases = value("--cases")?
                    .parse()
                    .map_err(|e| format!("--cases: {e}"))?
            }
            "--seed" => {
                options.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--timeout" => {
                let secs: u64 = value("--timeout")?
                    .parse()
                    .map_err(|e| format!("--timeout: {e}"))?;
                options.timeout = Duration::from_secs(secs);
            }
            "--compile" => {
                options.compile = value("--compile")?
                    .parse()
                    .map_err(|e| format!("--compile: {e}"))?
            }
            "--keep" => options.keep = PathBuf::from(value("--keep")?),
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            spec => options.specs.push(PathBuf::from(spec)),
        }
    }
    if options.specs.is_empty() {
        return Err("give at least one spec to mutate".to_owned());
    }
    Ok(options)
}

/// Every node of `value` as a JSON pointer.
fn pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), value)];
    while let Some((at, node)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (k, v) in map {
                    stack.push((
                        format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                        v,
                    ));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    stack.push((format!("{at}/{i}"), v));
                }
            }
            _ => {}
        }
        out.push(at);
    }
    out.sort();
    out
}

/// Names that are hard on a code generator.
const NAMES: &[&str] = &[
    "Err",
    "Ok",
    "Self",
    "self",
    "type",
    "Option",
    "String",
    "Output",
    "Item",
    "",
    "0",
    "a-b",
    "ünïcødé",
    "r#x",
    "__",
    "super",
    "crate",
    "Default",
    "None",
    "Some",
    "Result",
];

fn scalar(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-9_223_372_036_854_775_808_i64),
        3 => json!(1.5e300),
        4 => json!(*rng.pick(NAMES)),
        5 => json!({}),
        6 => json!([]),
        _ => json!("#/components/schemas/Missing"),
    }
}

/// A chain of `n` schemas, each leading to the next by `how`.
fn chain(rng: &mut Rng, schemas: &mut Map<String, Value>, n: usize) -> String {
    let how = rng.below(4);
    let start = format!("Fuzz{}x", rng.below(1000));
    for i in 0..n {
        let next = json!({"$ref": format!("#/components/schemas/{start}{}", i + 1)});
        let node = match how {
            0 => next,
            1 => json!({"type": "array", "items": next}),
            2 => {
                json!({"allOf": [next, {"type": "object", "properties": {format!("p{i}"): {"type": "string"}}}]})
            }
            _ => json!({"type": "object", "properties": {"next": next}}),
        };
        schemas.insert(format!("{start}{i}"), node);
    }
    schemas.insert(format!("{start}{n}"), json!({"type": "string"}));
    format!("#/components/schemas/{start}0")
}

/// One structural change to `doc`.
fn mutate(rng: &mut Rng, doc: &mut Value) {
    let all = pointers(doc);
    let target = rng.pick(&all).clone();
    match rng.below(9) {
        // Replace a node with something of another kind.
        0 => {
            let new = scalar(rng);
            if let Some(node) = doc.pointer_mut(&target) {
                *node = new;
            }
        }
        // Remove a key.
        1 => {
            if let Some((parent, key)) = target.rsplit_once('/') {
                if let Some(Value::Object(map)) = doc.pointer_mut(parent) {
                    map.remove(&key.replace("~1", "/").replace("~0", "~"));
                }
            }
        }
        // Copy a subtree somewhere else.
        2 => {
            let from = rng.pick(&all).clone();
            let source = doc.pointer(&from).cloned().unwrap_or(Value::Null);
            if let Some(node) = doc.pointer_mut(&target) {
                *node = source;
            }
        }
        // Wrap a node in a schema keyword: deeper nesting.
        3 => {
            let wrap = rng.below(4);
            if let Some(node) = doc.pointer_mut(&target) {
                let inner = node.take();
                *node = match wrap {
                    0 => json!({"allOf": [inner]}),
                    1 => json!({"type": "array", "items": inner}),
                    2 => json!({"oneOf": [inner.clone(), inner]}),
                    _ => {
                        json!({"type": "object", "properties": {"p": inner}, "additionalProperties": {}})
                    }
                };
            }
        }
        // Point a node at a schema: an existing one, itself, or nothing.
        4 => {
            let refs: Vec<&String> = all
                .iter()
                .filter(|p| p.starts_with("/components/schemas/"))
                .collect();
            let to = match rng.below(3) {
                0 if !refs.is_empty() => format!("#{}", rng.pick(&refs)),
                1 => format!("#{target}"),
                _ => "#/components/schemas/Missing".to_owned(),
            };
            if let Some(node) = doc.pointer_mut(&target) {
                *node = json!({"$ref": to});
            }
        }
        // Rename a key to a hostile name.
        5 => {
            let name = (*rng.pick(NAMES)).to_owned();
            if let Some((parent, key)) = target.rsplit_once('/') {
                if let Some(Value::Object(map)) = doc.pointer_mut(parent) {
                    let key = key.replace("~1", "/").replace("~0", "~");
                    if let Some(v) = map.remove(&key) {
                        map.insert(name, v);
                    }
                }
            }
        }
        // Change a `type`.
        6 => {
            let ty = *rng.pick(&[
                "string", "integer", "number", "boolean", "array", "object", "null", "file",
            ]);
            if let Some(Value::Object(map)) = doc.pointer_mut(&target) {
                map.insert("type".to_owned(), json!(ty));
            }
        }
        // Add enum values that are Rust names.
        7 => {
            let values: Vec<Value> = (0..3).map(|_| json!(*rng.pick(NAMES))).collect();
            if let Some(Value::Object(map)) = doc.pointer_mut(&target) {
                map.insert("type".to_owned(), json!("string"));
                map.insert("enum".to_owned(), Value::Array(values));
            }
        }
        // A long chain of schemas, used from the node.
        _ => {
            let n = [10, 100, 500, 2_000][rng.below(4)];
            let mut schemas = doc
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let start = chain(rng, &mut schemas, n);
            if let Some(Value::Object(components)) = doc.pointer_mut("/components") {
                components.insert("schemas".to_owned(), Value::Object(schemas));
            }
            if let Some(node) = doc.pointer_mut(&target) {
                *node = json!({"$ref": start});
            }
        }
    }
}

enum Outcome {
    Generated,
    Refused,
    Failed(String),
}

/// Runs the generator on `spec` in its own process. Its messages go to a
/// file, not a pipe: a pipe nobody reads until the end would fill up and
/// stop a process with many of them.
fn run(binary: &Path, spec: &Path, timeout: Duration) -> Outcome {
    let log = spec.with_extension("stderr");
    let stderr_file = match std::fs::File::create(&log) {
        Ok(file) => file,
        Err(e) => return Outcome::Failed(format!("{}: {e}", log.display())),
    };
    let child = Command::new(binary)
        .arg("generate")
        .arg(spec)
        .stdout(Stdio::null())
        .stderr(stderr_file)
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => return Outcome::Failed(format!("could not start {}: {e}", binary.display())),
    };
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Outcome::Failed(format!("no answer within {} s", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Outcome::Failed(format!("wait: {e}")),
        }
    };
    let stderr = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    if stderr.contains("panicked") || stderr.contains("overflowed its stack") {
        return Outcome::Failed(format!(
            "crashed: {}",
            stderr.lines().next().unwrap_or_default()
        ));
    }
    match status.code() {
        Some(0) => Outcome::Generated,
        Some(2)
            if stderr
                .lines()
                .all(|l| l.starts_with("error: ") || l.ends_with(" errors")) =>
        {
            Outcome::Refused
        }
        Some(code) => Outcome::Failed(format!("exit {code}: {stderr}")),
        None => Outcome::Failed(format!("killed by a signal: {stderr}")),
    }
}

/// Generates `spec` as a crate and checks it, warnings denied.
fn compiles(binary: &Path, spec: &Path, dir: &Path, runtime: &Path) -> Result<(), String> {
    let status = Command::new(binary)
        .arg("generate")
        .arg(spec)
        .arg("--crate")
        .arg(dir)
        .args(["--name", "fuzz-mutant", "--runtime-path"])
        .arg(runtime)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("generate --crate failed: {status}"));
    }
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["check", "--quiet", "--all-features", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("fuzz: {message}");
            return ExitCode::from(2);
        }
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let binary = root.join("target/release/krosai-codegen");
    if !binary.exists() {
        eprintln!("fuzz: build the generator first: cargo build --release -p krosai-codegen");
        return ExitCode::from(2);
    }
    let mut seeds = Vec::new();
    for path in &options.specs {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("fuzz: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        };
        // Read as the generator reads it (an integer beyond 64 bits, as
        // in the 3.1 fixture, is the nearest float).
        match krosai_codegen::parse_document(&path.display().to_string(), &text) {
            Ok(doc) => seeds.push((path.clone(), doc)),
            Err(e) => eprintln!("fuzz: {} is skipped: {e}", path.display()),
        }
    }
    let work = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("fuzz: {e}");
            return ExitCode::from(2);
        }
    };
    let mut rng = Rng(options.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let (mut generated, mut refused, mut failures) = (0, 0, Vec::new());
    let mut successes: Vec<PathBuf> = Vec::new();
    let started = Instant::now();
    for case in 0..options.cases {
        let (origin, seed) = rng.pick(&seeds);
        let mut doc = seed.clone();
        for _ in 0..=rng.below(3) {
            mutate(&mut rng, &mut doc);
        }
        let file = work.path().join(format!("case-{case}.json"));
        if let Err(e) = std::fs::write(&file, doc.to_string()) {
            eprintln!("fuzz: {e}");
            return ExitCode::from(2);
        }
        match run(&binary, &file, options.timeout) {
            Outcome::Generated => {
                generated += 1;
                if successes.len() < options.compile && rng.below(4) == 0 {
                    let kept = work.path().join(format!("ok-{case}.json"));
                    if std::fs::copy(&file, &kept).is_ok() {
                        successes.push(kept);
                    }
                }
            }
            Outcome::Refused => refused += 1,
            Outcome::Failed(why) => {
                let _ = std::fs::create_dir_all(&options.keep);
                let kept = options
                    .keep
                    .join(format!("seed-{}-case-{case}.json", options.seed));
                let _ = std::fs::copy(&file, &kept);
                eprintln!(
                    "fuzz: case {case} (from {}): {why}\n      kept in {}",
                    origin.display(),
                    kept.display()
                );
                failures.push(case);
            }
        }
        let _ = std::fs::remove_file(&file);
    }
    println!(
        "fuzz: {} cases in {:.1} s (seed {}): {generated} generated, {refused} refused with located errors, {} failed",
        options.cases,
        started.elapsed().as_secs_f64(),
        options.seed,
        failures.len()
    );
    let runtime = root.join("krosai-runtime");
    let mut compile_failures = 0;
    for (index, spec) in successes.iter().enumerate() {
        let dir = work.path().join(format!("crate-{index}"));
        match compiles(&binary, spec, &dir, &runtime) {
            Ok(()) => println!("fuzz: mutant {} compiles warning-free", spec.display()),
            Err(why) => {
                compile_failures += 1;
                let _ = std::fs::create_dir_all(&options.keep);
                let kept = options.keep.join(format!(
                    "seed-{}-{}",
                    options.seed,
                    spec.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                ));
                let _ = std::fs::copy(spec, &kept);
                eprintln!(
                    "fuzz: mutant does not compile (kept in {}):\n{why}",
                    kept.display()
                );
            }
        }
    }
    if failures.is_empty() && compile_failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
