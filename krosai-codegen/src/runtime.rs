//! The sources of `krosai-runtime`, the crate generated code calls into,
//! embedded so that `generate --crate` can write a copy of it next to the
//! generated crate: the crate then builds on any machine, with nothing but
//! crates.io dependencies.

/// The directory, inside a generated crate, that holds its copy of the
/// runtime.
pub(crate) const VENDORED_DIR: &str = "krosai-runtime";

/// Every file of the runtime crate that building it needs, by path
/// relative to the crate's root. A test checks that no source file is
/// missing.
pub(crate) const FILES: &[(&str, &str)] = &[
    (
        "Cargo.toml",
        include_str!("../../krosai-runtime/Cargo.toml"),
    ),
    (
        "src/lib.rs",
        include_str!("../../krosai-runtime/src/lib.rs"),
    ),
    (
        "src/binary.rs",
        include_str!("../../krosai-runtime/src/binary.rs"),
    ),
    (
        "src/bounds.rs",
        include_str!("../../krosai-runtime/src/bounds.rs"),
    ),
    (
        "src/client/mod.rs",
        include_str!("../../krosai-runtime/src/client/mod.rs"),
    ),
    (
        "src/client/error.rs",
        include_str!("../../krosai-runtime/src/client/error.rs"),
    ),
    (
        "src/client/macros.rs",
        include_str!("../../krosai-runtime/src/client/macros.rs"),
    ),
    (
        "src/client/options.rs",
        include_str!("../../krosai-runtime/src/client/options.rs"),
    ),
    (
        "src/client/retry.rs",
        include_str!("../../krosai-runtime/src/client/retry.rs"),
    ),
    (
        "src/client/transport.rs",
        include_str!("../../krosai-runtime/src/client/transport.rs"),
    ),
    (
        "src/enums.rs",
        include_str!("../../krosai-runtime/src/enums.rs"),
    ),
    (
        "src/object.rs",
        include_str!("../../krosai-runtime/src/object.rs"),
    ),
    (
        "src/server/mod.rs",
        include_str!("../../krosai-runtime/src/server/mod.rs"),
    ),
    (
        "src/server/answer.rs",
        include_str!("../../krosai-runtime/src/server/answer.rs"),
    ),
    (
        "src/server/input.rs",
        include_str!("../../krosai-runtime/src/server/input.rs"),
    ),
    (
        "src/server/limits.rs",
        include_str!("../../krosai-runtime/src/server/limits.rs"),
    ),
    (
        "src/trace.rs",
        include_str!("../../krosai-runtime/src/trace.rs"),
    ),
    (
        "src/server/serve.rs",
        include_str!("../../krosai-runtime/src/server/serve.rs"),
    ),
    (
        "src/union.rs",
        include_str!("../../krosai-runtime/src/union.rs"),
    ),
];

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn every_runtime_source_is_embedded_as_it_is() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../krosai-runtime");
        let mut on_disk = Vec::new();
        let mut stack = vec![root.join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    on_disk.push(
                        path.strip_prefix(&root)
                            .unwrap()
                            .to_string_lossy()
                            .replace('\\', "/"),
                    );
                }
            }
        }
        on_disk.push("Cargo.toml".to_owned());
        on_disk.sort();
        let mut embedded: Vec<String> = super::FILES.iter().map(|(p, _)| (*p).to_owned()).collect();
        embedded.sort();
        assert_eq!(
            embedded, on_disk,
            "krosai-codegen/src/runtime.rs must list every runtime file"
        );
        for (path, text) in super::FILES {
            assert_eq!(
                std::fs::read_to_string(root.join(path)).unwrap(),
                *text,
                "{path}"
            );
        }
    }
}
