//! Errors as data: every problem found in a spec carries the location of the
//! node it is about, as a JSON pointer (`#/paths/~1calls/get/parameters/0`) or,
//! for syntax errors, a line and column.

use std::fmt;

/// Where in the input a problem was found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// A node of the (effective) document, as a JSON pointer fragment such as
    /// `#/components/schemas/Call`.
    Pointer(String),
    /// A position in the text of a file (1-based line and column).
    Text {
        /// 1-based line number.
        line: usize,
        /// 1-based column number.
        column: usize,
    },
    /// The file as a whole (it could not be read, or the problem has no node).
    File,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Pointer(pointer) => f.write_str(pointer),
            Location::Text { line, column } => write!(f, "line {line}, column {column}"),
            Location::File => f.write_str("(whole file)"),
        }
    }
}

/// One problem found in a spec or overlay, with its location and, where one
/// exists, a hint at what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in, as given by the caller (may be empty for
    /// in-memory input).
    pub file: String,
    /// Where in that file.
    pub location: Location,
    /// What is wrong.
    pub message: String,
    /// What the user can do about it, if anything obvious.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem at the node `pointer` (a `#/…` JSON pointer).
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: String::new(),
            location: Location::Pointer(pointer.into()),
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint on how to fix or work around the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the file the problem is in.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = file.into();
        self
    }
}

/// One problem is one line: line breaks and other control characters in a
/// message (serde quotes the spec's text in some) are written escaped.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = one_line(&self.message);
        if self.file.is_empty() {
            write!(f, "{}: {message}", self.location)?;
        } else {
            write!(f, "{}: {}: {message}", self.file, self.location)?;
        }
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {})", one_line(hint))?;
        }
        Ok(())
    }
}

/// `text` with control characters escaped (`\n`, `\u{1b}`).
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Everything that can stop generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The spec (or its overlay) has problems; all that were found are listed.
    #[error("{}", DisplayDiagnostics(.0))]
    Spec(Vec<Diagnostic>),
    /// The generated code did not parse back as Rust. This is a bug in the
    /// generator, never in the spec: please report it.
    #[error("internal error: generated code does not parse ({0}); please report this")]
    Internal(String),
}

impl Error {
    /// The diagnostics of a [`Error::Spec`], empty for other errors.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Spec(diagnostics) => diagnostics,
            _ => &[],
        }
    }

    /// Sets the file name on every diagnostic that has none yet.
    pub(crate) fn in_file(self, file: &str) -> Self {
        match self {
            Error::Spec(diagnostics) => Error::Spec(
                diagnostics
                    .into_iter()
                    .map(|d| {
                        if d.file.is_empty() {
                            d.in_file(file)
                        } else {
                            d
                        }
                    })
                    .collect(),
            ),
            other => other,
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error::Spec(vec![diagnostic])
    }
}

impl From<Vec<Diagnostic>> for Error {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Error::Spec(diagnostics)
    }
}

struct DisplayDiagnostics<'a>(&'a [Diagnostic]);

impl fmt::Display for DisplayDiagnostics<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

/// A JSON pointer under construction, always rendered as a URI fragment
/// (`#/paths/~1calls/get`), with `~` and `/` escaped as RFC 6901 says.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// Parses a `$ref`-style local reference (`#/components/schemas/Call`).
    /// Returns `None` for anything that is not a local reference.
    pub fn from_ref(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        if !rest.is_empty() && !rest.starts_with('/') {
            return None;
        }
        Some(Pointer(rest.to_owned()))
    }

    /// The pointer one level down, through `key` (an object key or an array
    /// index).
    pub fn push(&self, key: impl fmt::Display) -> Self {
        let key = key.to_string();
        let mut pointer = String::with_capacity(self.0.len() + 1 + key.len());
        pointer.push_str(&self.0);
        pointer.push('/');
        // Most keys need no escaping: copy the runs between `~` and `/`.
        let mut rest = key.as_str();
        while let Some(at) = rest.find(['~', '/']) {
            pointer.push_str(&rest[..at]);
            pointer.push_str(if rest.as_bytes()[at] == b'~' {
                "~0"
            } else {
                "~1"
            });
            rest = &rest[at + 1..];
        }
        pointer.push_str(rest);
        Pointer(pointer)
    }

    /// The node this pointer designates in `root`, as
    /// `serde_json::Value::pointer` finds it, without allocating for keys
    /// that need no unescaping (lowering looks nodes up by pointer tens of
    /// thousands of times in a large spec).
    pub fn find<'v>(&self, root: &'v serde_json::Value) -> Option<&'v serde_json::Value> {
        use serde_json::Value;
        if self.0.is_empty() {
            return Some(root);
        }
        self.0[1..].split('/').try_fold(root, |node, token| {
            let token = if token.contains('~') {
                std::borrow::Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
            } else {
                std::borrow::Cow::Borrowed(token)
            };
            match node {
                Value::Object(map) => map.get(token.as_ref()),
                Value::Array(items) => array_index(&token).and_then(|i| items.get(i)),
                _ => None,
            }
        })
    }

    /// The unescaped reference tokens of this pointer.
    pub fn tokens(&self) -> Vec<String> {
        if self.0.is_empty() {
            return Vec::new();
        }
        self.0[1..]
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect()
    }

    /// The last reference token, if any.
    pub fn last(&self) -> Option<String> {
        self.tokens().pop()
    }

    /// The pointer without its `#` (as `serde_json::Value::pointer` wants it).
    pub fn as_json_pointer(&self) -> &str {
        &self.0
    }
}

/// An array index token as RFC 6901 (and `serde_json`) reads it: digits,
/// without a sign or leading zeros.
fn array_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_is_one_line_whatever_its_text() {
        let d = Diagnostic::at("#/x", "unknown variant `a\nb`").with_hint("see\tthis");
        assert_eq!(
            d.to_string(),
            "#/x: unknown variant `a\\nb` (hint: see\\tthis)"
        );
    }

    #[test]
    fn pointer_escapes_slashes_and_tildes() {
        let p = Pointer::root()
            .push("paths")
            .push("/calls/{id}")
            .push("a~b");
        assert_eq!(p.to_string(), "#/paths/~1calls~1{id}/a~0b");
        assert_eq!(p.tokens(), vec!["paths", "/calls/{id}", "a~b"]);
        assert_eq!(p.last().as_deref(), Some("a~b"));
    }

    #[test]
    fn find_agrees_with_serde_json() {
        let document = serde_json::json!({
            "paths": {"/calls/{id}": {"get": {"parameters": [{"name": "id"}, {"name": "x"}]}}},
            "a~b": {"c/d": 1, "~01": 2},
            "": {"": 3},
        });
        let root = Pointer::root();
        let pointers = [
            root.clone(),
            root.push("paths").push("/calls/{id}").push("get"),
            root.push("paths")
                .push("/calls/{id}")
                .push("get")
                .push("parameters")
                .push(1),
            root.push("a~b").push("c/d"),
            root.push("a~b").push("~01"),
            root.push("").push(""),
            root.push("missing"),
            Pointer::from_ref("#/paths/~1calls~1{id}/get/parameters/01").expect("local"),
            Pointer::from_ref("#/paths/~1calls~1{id}/get/parameters/+1").expect("local"),
            Pointer::from_ref("#/paths/~1calls~1{id}/get/parameters/2").expect("local"),
            Pointer::from_ref("#/a~0b/~001").expect("local"),
        ];
        for pointer in pointers {
            assert_eq!(
                pointer.find(&document),
                document.pointer(pointer.as_json_pointer()),
                "{pointer}"
            );
        }
    }

    #[test]
    fn from_ref_accepts_only_local_references() {
        assert_eq!(
            Pointer::from_ref("#/components/schemas/Call").map(|p| p.to_string()),
            Some("#/components/schemas/Call".to_owned())
        );
        assert_eq!(Pointer::from_ref("other.yaml#/x"), None);
        assert_eq!(Pointer::from_ref("#bad"), None);
        assert_eq!(Pointer::from_ref("#").map(|p| p.tokens().len()), Some(0));
    }

    #[test]
    fn diagnostics_display_with_file_and_hint() {
        let d = Diagnostic::at("#/paths", "boom")
            .with_hint("fix it")
            .in_file("spec.yaml");
        assert_eq!(d.to_string(), "spec.yaml: #/paths: boom (hint: fix it)");
    }
}
