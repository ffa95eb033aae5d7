//! What a new version of a spec changes: the two documents are lowered to
//! [`Api`] models and compared item by item, by the Rust names the
//! generated code uses.
//!
//! Each [`Change`] is classified twice. For the Rust API of the generated
//! crate ([`RustImpact`]): may code that compiled against the old version
//! stop compiling? And on the wire ([`Wire`]), in both directions of a
//! rollout: an old client against a new server, and a new client against an
//! old server. The wire verdicts follow one rule: every change says whether
//! the values the new version accepts are the same as before, fewer
//! (narrower), more (wider) or different ([`Values`]), and whoever receives
//! the values (the server for requests, the client for responses) is hurt
//! when what it accepts is narrower than what the other side sends. Open
//! enums and unions soften one case: an old client keeps a response value
//! it does not know.

mod operations;
mod report;
mod types;
mod values;

use values::{usage, Use};

use std::collections::HashMap;

use crate::model::Api;

/// What the comparison is about: which parts the generated crate has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffOptions {
    /// The crate has the `client` module.
    pub client: bool,
    /// The crate has the `server` module.
    pub server: bool,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            client: true,
            server: true,
        }
    }
}

/// What a change does to code that compiles against the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RustImpact {
    /// Only documentation (or a constant's value) changes.
    Docs,
    /// New items, or items that still accept all the code they did: a
    /// minor version.
    Additive,
    /// Code that compiled against the old version may not compile: a
    /// major version.
    Breaking,
}

impl RustImpact {
    /// `docs`, `additive` or `breaking`.
    pub fn as_str(self) -> &'static str {
        match self {
            RustImpact::Docs => "docs",
            RustImpact::Additive => "additive",
            RustImpact::Breaking => "breaking",
        }
    }
}

/// What a change does between a client and a server of different versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire {
    /// They keep understanding each other.
    Safe,
    /// Some request is refused, or some response cannot be decoded.
    Breaking,
}

impl Wire {
    /// `safe` or `breaking`.
    pub fn as_str(self) -> &'static str {
        match self {
            Wire::Safe => "safe",
            Wire::Breaking => "breaking",
        }
    }
}

/// How the values a version accepts compare with the other version's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    /// The same values.
    Same,
    /// The new version accepts fewer values (a new required field, a
    /// tighter bound, a removed enum value).
    Narrower,
    /// The new version accepts more values (a new enum value, a field that
    /// became optional, a looser bound).
    Wider,
    /// Neither holds the other (a changed type).
    Different,
}

impl Values {
    /// Both changes at once.
    pub fn and(self, other: Values) -> Values {
        match (self, other) {
            (Values::Same, x) | (x, Values::Same) => x,
            (a, b) if a == b => a,
            _ => Values::Different,
        }
    }
}

/// The semver bump the generated crate needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Documentation only.
    Patch,
    /// Additions only.
    Minor,
    /// Something breaks (for a `0.x` crate: the next minor version).
    Major,
}

impl Bump {
    /// `none`, `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// What kind of change, as a stable identifier for tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// `info`, `servers` and other document-wide text.
    Info,
    /// A named type appeared.
    TypeAdded,
    /// A named type is gone.
    TypeRemoved,
    /// A named type became another kind of type, or an alias another type.
    TypeChanged,
    /// A struct gained a field.
    FieldAdded,
    /// A struct lost a field.
    FieldRemoved,
    /// A field changed type, optionality, wire name or bounds.
    FieldChanged,
    /// An enum gained a value.
    EnumValueAdded,
    /// An enum lost a value.
    EnumValueRemoved,
    /// An enum value's Rust variant changed name, or the enum its
    /// representation.
    EnumChanged,
    /// A union gained a variant.
    VariantAdded,
    /// A union lost a variant.
    VariantRemoved,
    /// A union's variant holds another type, or the union picks its
    /// variants differently.
    VariantChanged,
    /// An operation appeared.
    OperationAdded,
    /// An operation is gone.
    OperationRemoved,
    /// An operation's method, path, security or trait changed.
    OperationChanged,
    /// An operation gained a parameter.
    ParameterAdded,
    /// An operation lost a parameter.
    ParameterRemoved,
    /// A parameter changed type, location, requiredness or bounds.
    ParameterChanged,
    /// A request body appeared, went, or changed.
    RequestBodyChanged,
    /// An operation documents a new response status.
    ResponseAdded,
    /// An operation no longer documents a response status.
    ResponseRemoved,
    /// A response's body changed.
    ResponseChanged,
    /// A security scheme appeared, went, or changed.
    SecurityChanged,
    /// A server trait appeared or went.
    ServerTraitChanged,
    /// Documentation text changed.
    Docs,
    /// An item was (un)deprecated.
    Deprecated,
}

impl ChangeKind {
    /// The identifier (`field_added`).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Info => "info",
            ChangeKind::TypeAdded => "type_added",
            ChangeKind::TypeRemoved => "type_removed",
            ChangeKind::TypeChanged => "type_changed",
            ChangeKind::FieldAdded => "field_added",
            ChangeKind::FieldRemoved => "field_removed",
            ChangeKind::FieldChanged => "field_changed",
            ChangeKind::EnumValueAdded => "enum_value_added",
            ChangeKind::EnumValueRemoved => "enum_value_removed",
            ChangeKind::EnumChanged => "enum_changed",
            ChangeKind::VariantAdded => "variant_added",
            ChangeKind::VariantRemoved => "variant_removed",
            ChangeKind::VariantChanged => "variant_changed",
            ChangeKind::OperationAdded => "operation_added",
            ChangeKind::OperationRemoved => "operation_removed",
            ChangeKind::OperationChanged => "operation_changed",
            ChangeKind::ParameterAdded => "parameter_added",
            ChangeKind::ParameterRemoved => "parameter_removed",
            ChangeKind::ParameterChanged => "parameter_changed",
            ChangeKind::RequestBodyChanged => "request_body_changed",
            ChangeKind::ResponseAdded => "response_added",
            ChangeKind::ResponseRemoved => "response_removed",
            ChangeKind::ResponseChanged => "response_changed",
            ChangeKind::SecurityChanged => "security_changed",
            ChangeKind::ServerTraitChanged => "server_trait_changed",
            ChangeKind::Docs => "docs",
            ChangeKind::Deprecated => "deprecated",
        }
    }
}

/// One change between the two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// The JSON pointer of the node that changed (in the new document, or
    /// in the old one for something removed).
    pub pointer: String,
    /// The Rust items it touches (`types::CallStatus`,
    /// `client::ListCalls::status`, `server::CallsApi::get_call`).
    pub items: Vec<String>,
    /// What changed, in a sentence.
    pub message: String,
    /// What it does to code that compiles against the generated crate.
    pub rust: RustImpact,
    /// An old client talking to a new server.
    pub old_client: Wire,
    /// A new client talking to an old server.
    pub new_client: Wire,
}

impl Change {
    /// Whether code or deployed clients break: the Rust API breaks, or an
    /// old client fails against the new server.
    pub fn is_breaking(&self) -> bool {
        self.rust == RustImpact::Breaking || self.old_client == Wire::Breaking
    }
}

/// The comparison of two versions of an API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// `info.title` of the new version.
    pub title: String,
    /// `info.version` of the old version.
    pub old_version: String,
    /// `info.version` of the new version.
    pub new_version: String,
    /// Every change, in a deterministic order (types, then operations, each
    /// in document order).
    pub changes: Vec<Change>,
}

impl Report {
    /// The semver bump the generated crate needs.
    pub fn bump(&self) -> Bump {
        match self.changes.iter().map(|c| c.rust).max() {
            None => Bump::None,
            Some(RustImpact::Docs) => Bump::Patch,
            Some(RustImpact::Additive) => Bump::Minor,
            Some(RustImpact::Breaking) => Bump::Major,
        }
    }

    /// Whether anything breaks: the Rust API, or old clients against the
    /// new server ([`Change::is_breaking`]). A new client against an old
    /// server is reported but does not count: roll servers out first.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(Change::is_breaking)
    }
}

/// Compares two lowered versions of an API.
pub fn compare(old: &Api, new: &Api, options: DiffOptions) -> Report {
    let mut differ = Differ {
        old,
        new,
        options,
        old_use: usage(old),
        new_use: usage(new),
        changes: Vec::new(),
    };
    differ.info();
    differ.types();
    differ.operations();
    differ.api_wide();
    Report {
        title: new.title.clone(),
        old_version: old.version.clone(),
        new_version: new.version.clone(),
        changes: differ.changes,
    }
}

/// The comparison under way: both models, where their types travel, and
/// the changes found so far.
struct Differ<'a> {
    old: &'a Api,
    new: &'a Api,
    options: DiffOptions,
    old_use: HashMap<String, Use>,
    new_use: HashMap<String, Use>,
    changes: Vec<Change>,
}

/// The parts of a change that vary, for [`Differ::push`].
struct Entry {
    kind: ChangeKind,
    pointer: String,
    items: Vec<String>,
    message: String,
    rust: RustImpact,
    wire: (Wire, Wire),
}

const SAFE: (Wire, Wire) = (Wire::Safe, Wire::Safe);

impl<'a> Differ<'a> {
    fn push(&mut self, entry: Entry) {
        self.changes.push(Change {
            kind: entry.kind,
            pointer: entry.pointer,
            items: entry.items,
            message: entry.message,
            rust: entry.rust,
            old_client: entry.wire.0,
            new_client: entry.wire.1,
        });
    }

    fn docs(&mut self, pointer: String, items: Vec<String>, message: String) {
        self.push(Entry {
            kind: ChangeKind::Docs,
            pointer,
            items,
            message,
            rust: RustImpact::Docs,
            wire: SAFE,
        });
    }

    fn deprecation(&mut self, pointer: String, items: Vec<String>, old: bool, new: bool) {
        if old == new {
            return;
        }
        let (message, rust) = if new {
            ("now deprecated", RustImpact::Additive)
        } else {
            ("no longer deprecated", RustImpact::Docs)
        };
        self.push(Entry {
            kind: ChangeKind::Deprecated,
            pointer,
            items,
            message: message.to_owned(),
            rust,
            wire: SAFE,
        });
    }

    /// Where a type travels in both versions: a client of one version
    /// and a server of the other meet over it only there (a type that
    /// moves is reported where it is used).
    fn type_use(&self, name: &str) -> Use {
        let old = self.old_use.get(name).copied().unwrap_or_default();
        let new = self.new_use.get(name).copied().unwrap_or_default();
        old.and(new)
    }

    fn info(&mut self) {
        let (old, new) = (self.old, self.new);
        if old.version != new.version {
            self.docs(
                "#/info/version".to_owned(),
                vec!["API_VERSION".to_owned()],
                format!("version `{}` → `{}`", old.version, new.version),
            );
        }
        if old.title != new.title {
            self.docs(
                "#/info/title".to_owned(),
                vec!["API_TITLE".to_owned()],
                format!("title `{}` → `{}`", old.title, new.title),
            );
        }
        if old.description != new.description {
            self.docs(
                "#/info/description".to_owned(),
                Vec::new(),
                "description changed".to_owned(),
            );
        }
        if old.servers != new.servers {
            let urls = |api: &Api| {
                api.servers
                    .iter()
                    .map(|s| format!("`{}`", s.url))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            self.push(Entry {
                kind: ChangeKind::Info,
                pointer: "#/servers".to_owned(),
                items: Vec::new(),
                message: format!("servers [{}] → [{}]", urls(old), urls(new)),
                rust: RustImpact::Docs,
                wire: SAFE,
            });
        }
    }
}
