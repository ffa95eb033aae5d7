//! Operations compared by Rust method name: parameters, bodies,
//! responses, security; and what is API-wide (the client's error
//! variants and defaults, security schemes, server traits).

use std::collections::{BTreeMap, BTreeSet};

use super::values::{escape, render, wire, Use};
use super::Wire;
use super::{ChangeKind, Differ, Entry, RustImpact, Values, SAFE};
use crate::model::{Api, Operation, Parameter, RequestBody, Response, StatusSpec};

impl<'a> Differ<'a> {
    pub(super) fn operations(&mut self) {
        let old_ops: BTreeMap<String, &Operation> = self
            .old
            .operations
            .iter()
            .map(|o| (o.name.to_string(), o))
            .collect();
        let new_names: BTreeSet<String> = self
            .new
            .operations
            .iter()
            .map(|o| o.name.to_string())
            .collect();
        // An operation whose name is gone, and a new name at the same
        // method and path: the operation was renamed.
        let mut renamed: BTreeMap<String, &Operation> = BTreeMap::new();
        for op in &self.old.operations {
            if new_names.contains(&op.name.to_string()) {
                continue;
            }
            let successor = self.new.operations.iter().find(|n| {
                !old_ops.contains_key(&n.name.to_string())
                    && !renamed.contains_key(&n.name.to_string())
                    && n.method == op.method
                    && n.path == op.path
            });
            if let Some(successor) = successor {
                renamed.insert(successor.name.to_string(), op);
                continue;
            }
            self.push(Entry {
                kind: ChangeKind::OperationRemoved,
                pointer: op.origin.clone(),
                items: self.operation_items(self.old, op),
                message: format!(
                    "operation `{}` ({} {}) removed",
                    op.operation_id,
                    op.method.as_str(),
                    op.path
                ),
                rust: RustImpact::Breaking,
                wire: (Wire::Breaking, Wire::Safe),
            });
        }
        for op in &self.new.operations {
            if let Some(old_op) = renamed.get(&op.name.to_string()) {
                let mut items = self.operation_items(self.old, old_op);
                items.extend(self.operation_items(self.new, op));
                self.push(Entry {
                    kind: ChangeKind::OperationChanged,
                    pointer: op.origin.clone(),
                    items,
                    message: format!(
                        "operation `{}` renamed `{}` ({} {}): its methods are renamed",
                        old_op.operation_id,
                        op.operation_id,
                        op.method.as_str(),
                        op.path
                    ),
                    rust: RustImpact::Breaking,
                    wire: SAFE,
                });
                self.compare_operation(old_op, op);
                continue;
            }
            match old_ops.get(&op.name.to_string()) {
                None => {
                    // Servers must implement a new trait method, unless it
                    // has a default body (answering 501).
                    let must_implement = self.options.server && !self.new.server_defaults;
                    let rust = if must_implement {
                        RustImpact::Breaking
                    } else {
                        RustImpact::Additive
                    };
                    self.push(Entry {
                        kind: ChangeKind::OperationAdded,
                        pointer: op.origin.clone(),
                        items: self.operation_items(self.new, op),
                        message: format!(
                            "operation `{}` ({} {}) added{}",
                            op.operation_id,
                            op.method.as_str(),
                            op.path,
                            if must_implement {
                                ": servers must implement it"
                            } else if self.options.server {
                                ": servers answer 501 until they implement it"
                            } else {
                                ""
                            }
                        ),
                        rust,
                        wire: (Wire::Safe, Wire::Breaking),
                    });
                }
                Some(old_op) => self.compare_operation(old_op, op),
            }
        }
    }

    /// The client method and the server trait method of an operation.
    pub(super) fn operation_items(&self, api: &Api, op: &Operation) -> Vec<String> {
        let mut items = Vec::new();
        if self.options.client {
            items.push(format!("client::Client::{}", op.name));
        }
        if self.options.server {
            if let Some(t) = api.server_traits.get(op.server_trait) {
                items.push(format!("server::{}::{}", t.name, op.name));
            }
        }
        items
    }

    pub(super) fn compare_operation(&mut self, old: &Operation, new: &Operation) {
        let pointer = new.origin.clone();
        let items = self.operation_items(self.new, new);
        if old.method != new.method || old.path != new.path {
            self.push(Entry {
                kind: ChangeKind::OperationChanged,
                pointer: pointer.clone(),
                items: items.clone(),
                message: format!(
                    "`{}` is {} {}, was {} {}",
                    new.operation_id,
                    new.method.as_str(),
                    new.path,
                    old.method.as_str(),
                    old.path
                ),
                rust: RustImpact::Docs,
                wire: (Wire::Breaking, Wire::Breaking),
            });
        }
        if self.options.server {
            let trait_name = |api: &Api, op: &Operation| {
                api.server_traits
                    .get(op.server_trait)
                    .map(|t| t.name.to_string())
                    .unwrap_or_default()
            };
            let (before, after) = (trait_name(self.old, old), trait_name(self.new, new));
            if before != after {
                self.push(Entry {
                    kind: ChangeKind::OperationChanged,
                    pointer: format!("{pointer}/tags"),
                    items: items.clone(),
                    message: format!("`{}` moved from trait `{before}` to `{after}`", new.name),
                    rust: RustImpact::Breaking,
                    wire: SAFE,
                });
            }
        }
        if old.summary != new.summary || old.description != new.description {
            self.docs(
                pointer.clone(),
                items.clone(),
                "documentation changed".to_owned(),
            );
        }
        self.deprecation(
            pointer.clone(),
            items.clone(),
            old.deprecated,
            new.deprecated,
        );
        if old.security != new.security {
            let values = security_values(&old.security, &new.security);
            self.push(Entry {
                kind: ChangeKind::SecurityChanged,
                pointer: format!("{pointer}/security"),
                items: items.clone(),
                message: format!(
                    "security {} → {}",
                    security_text(&old.security),
                    security_text(&new.security)
                ),
                rust: RustImpact::Docs,
                wire: wire(values, Use::INPUT, false),
            });
        }
        self.parameters(old, new);
        self.request_body(old, new);
        self.responses(old, new);
        match (&old.pagination, &new.pagination) {
            (Some(_), None) if self.options.client => self.push(Entry {
                kind: ChangeKind::OperationChanged,
                pointer: pointer.clone(),
                items: vec![format!("client::Client::{}_stream", old.name)],
                message: "no longer paginated: the stream method is gone".to_owned(),
                rust: RustImpact::Breaking,
                wire: SAFE,
            }),
            (None, Some(p)) if self.options.client => self.push(Entry {
                kind: ChangeKind::OperationChanged,
                pointer,
                items: vec![format!("client::Client::{}", p.stream_name)],
                message: "now paginated: a stream method is added".to_owned(),
                rust: RustImpact::Additive,
                wire: SAFE,
            }),
            _ => {}
        }
    }

    /// Where a parameter shows in Rust: an argument of the client method
    /// (required) or a setter of the request builder (optional), and a
    /// field of the server's request.
    pub(super) fn parameter_items(&self, op: &Operation, p: &Parameter) -> Vec<String> {
        let mut items = Vec::new();
        if self.options.client {
            items.push(if p.required {
                format!("client::Client::{}({})", op.name, p.name)
            } else {
                format!("client::{}::{}", op.builder_name, p.name)
            });
        }
        if self.options.server {
            items.push(format!("server::{}::{}", op.request_name, p.name));
        }
        items
    }

    pub(super) fn parameters(&mut self, old: &Operation, new: &Operation) {
        let old_params: BTreeMap<String, &Parameter> = old
            .parameters
            .iter()
            .map(|p| (p.name.to_string(), p))
            .collect();
        let new_names: BTreeSet<String> =
            new.parameters.iter().map(|p| p.name.to_string()).collect();
        for p in &old.parameters {
            if new_names.contains(&p.name.to_string()) {
                continue;
            }
            self.push(Entry {
                kind: ChangeKind::ParameterRemoved,
                pointer: format!("{}/parameters", new.origin),
                items: self.parameter_items(old, p),
                message: format!(
                    "{} {} parameter `{}` removed",
                    if p.required { "required" } else { "optional" },
                    location_text(p),
                    p.wire
                ),
                rust: RustImpact::Breaking,
                wire: input_removed(p.required),
            });
        }
        for p in &new.parameters {
            let Some(old_p) = old_params.get(&p.name.to_string()) else {
                self.push(Entry {
                    kind: ChangeKind::ParameterAdded,
                    pointer: p.origin.clone(),
                    items: self.parameter_items(new, p),
                    message: format!(
                        "{} {} parameter `{}: {}` added",
                        if p.required { "required" } else { "optional" },
                        location_text(p),
                        p.wire,
                        render(self.new, &p.ty)
                    ),
                    rust: input_added(p.required).0,
                    wire: input_added(p.required).1,
                });
                continue;
            };
            self.compare_parameter(new, old_p, p);
        }
    }

    pub(super) fn compare_parameter(&mut self, op: &Operation, old: &Parameter, new: &Parameter) {
        let items = self.parameter_items(op, new);
        let pointer = new.origin.clone();
        if old.doc != new.doc {
            self.docs(
                pointer.clone(),
                items.clone(),
                "documentation changed".to_owned(),
            );
        }
        self.deprecation(
            pointer.clone(),
            items.clone(),
            old.deprecated,
            new.deprecated,
        );
        if old.wire != new.wire || old.location != new.location {
            self.push(Entry {
                kind: ChangeKind::ParameterChanged,
                pointer: pointer.clone(),
                items: items.clone(),
                message: format!(
                    "{} `{}` → {} `{}`",
                    location_text(old),
                    old.wire,
                    location_text(new),
                    new.wire
                ),
                rust: RustImpact::Docs,
                wire: (Wire::Breaking, Wire::Breaking),
            });
        }
        if old.style != new.style || old.explode != new.explode {
            self.push(Entry {
                kind: ChangeKind::ParameterChanged,
                pointer: pointer.clone(),
                items: items.clone(),
                message: format!(
                    "`{}` is serialized differently (style or explode)",
                    new.wire
                ),
                rust: RustImpact::Docs,
                wire: (Wire::Breaking, Wire::Breaking),
            });
        }
        let (old_text, new_text) = (render(self.old, &old.ty), render(self.new, &new.ty));
        if old_text != new_text || old.required != new.required {
            let mut values = self.values(&old.ty, &new.ty);
            let mut message = format!("parameter `{}`:", new.wire);
            if old_text != new_text {
                message.push_str(&format!(" type `{new_text}`, was `{old_text}`"));
            }
            if old.required != new.required {
                values = values.and(if new.required {
                    Values::Narrower
                } else {
                    Values::Wider
                });
                if old_text != new_text {
                    message.push(';');
                }
                message.push_str(if new.required {
                    " now required (a method argument)"
                } else {
                    " now optional (a builder setter)"
                });
            }
            self.push(Entry {
                kind: ChangeKind::ParameterChanged,
                pointer: pointer.clone(),
                items: items.clone(),
                message,
                rust: RustImpact::Breaking,
                wire: wire(values, Use::INPUT, false),
            });
        }
        self.bounds(
            ChangeKind::ParameterChanged,
            &pointer,
            items,
            &new.wire,
            &old.constraints,
            &new.constraints,
            Use::INPUT,
        );
    }

    pub(super) fn request_body(&mut self, old: &Operation, new: &Operation) {
        let pointer = format!("{}/requestBody", new.origin);
        let items = |me: &Self, op: &Operation, body: &RequestBody| {
            let mut items = Vec::new();
            if me.options.client {
                items.push(if body.required {
                    format!("client::Client::{}(body)", op.name)
                } else {
                    format!("client::{}::body", op.builder_name)
                });
            }
            if me.options.server {
                items.push(format!("server::{}::body", op.request_name));
            }
            items
        };
        match (&old.request_body, &new.request_body) {
            (None, None) => {}
            (Some(body), None) => self.push(Entry {
                kind: ChangeKind::RequestBodyChanged,
                pointer,
                items: items(self, old, body),
                message: "request body removed".to_owned(),
                rust: RustImpact::Breaking,
                wire: input_removed(body.required),
            }),
            (None, Some(body)) => self.push(Entry {
                kind: ChangeKind::RequestBodyChanged,
                pointer,
                items: items(self, new, body),
                message: format!(
                    "{} request body `{}` added",
                    if body.required {
                        "required"
                    } else {
                        "optional"
                    },
                    render(self.new, &body.ty)
                ),
                rust: input_added(body.required).0,
                wire: input_added(body.required).1,
            }),
            (Some(a), Some(b)) => {
                let items = items(self, new, b);
                if a.doc != b.doc {
                    self.docs(
                        pointer.clone(),
                        items.clone(),
                        "documentation changed".to_owned(),
                    );
                }
                if a.media_type != b.media_type {
                    self.push(Entry {
                        kind: ChangeKind::RequestBodyChanged,
                        pointer: format!("{pointer}/content"),
                        items: items.clone(),
                        message: format!("media type `{}` → `{}`", a.media_type, b.media_type),
                        rust: if a.encoding == b.encoding {
                            RustImpact::Docs
                        } else {
                            RustImpact::Breaking
                        },
                        wire: (Wire::Breaking, Wire::Breaking),
                    });
                }
                let (old_text, new_text) = (render(self.old, &a.ty), render(self.new, &b.ty));
                if old_text != new_text || a.required != b.required {
                    let mut values = self.values(&a.ty, &b.ty);
                    let mut notes = Vec::new();
                    if old_text != new_text {
                        notes.push(format!("type `{new_text}`, was `{old_text}`"));
                    }
                    if a.required != b.required {
                        values = values.and(if b.required {
                            Values::Narrower
                        } else {
                            Values::Wider
                        });
                        notes.push(
                            if b.required {
                                "now required"
                            } else {
                                "now optional"
                            }
                            .to_owned(),
                        );
                    }
                    self.push(Entry {
                        kind: ChangeKind::RequestBodyChanged,
                        pointer,
                        items,
                        message: format!("request body: {}", notes.join("; ")),
                        rust: RustImpact::Breaking,
                        wire: wire(values, Use::INPUT, false),
                    });
                }
            }
        }
    }

    /// What a response is in Rust: the client's success type or error
    /// variant, and the server's response variant.
    pub(super) fn response_items(&self, op: &Operation, r: &Response) -> Vec<String> {
        let mut items = Vec::new();
        if self.options.client {
            items.push(if r.status.is_success() {
                format!("client::{}::send", op.builder_name)
            } else {
                format!("client::ClientError::{}", r.status.reason_name())
            });
        }
        if self.options.server {
            items.push(format!("server::{}::{}", op.response_name, r.name));
        }
        items
    }

    pub(super) fn responses(&mut self, old: &Operation, new: &Operation) {
        let old_by_status: BTreeMap<StatusSpec, &Response> =
            old.responses.iter().map(|r| (r.status, r)).collect();
        let new_statuses: BTreeSet<StatusSpec> = new.responses.iter().map(|r| r.status).collect();
        let response_pointer = |r: &Response| format!("{}/responses/{}", new.origin, r.status);
        // The success type is the client's: `send` returns it.
        if self.options.client {
            let (before, after) = (
                self.success_text(self.old, old),
                self.success_text(self.new, new),
            );
            if before != after {
                self.push(Entry {
                    kind: ChangeKind::ResponseChanged,
                    pointer: format!("{}/responses", new.origin),
                    items: vec![format!("client::{}::send", new.builder_name)],
                    message: format!("`send` answers `{after}`, was `{before}`"),
                    rust: RustImpact::Breaking,
                    wire: SAFE,
                });
            }
        }
        for r in &old.responses {
            if new_statuses.contains(&r.status) {
                continue;
            }
            // An old server still sends it: a new client that no longer
            // expects a success loses it.
            let new_client = if r.status.is_success() {
                Wire::Breaking
            } else {
                Wire::Safe
            };
            self.push(Entry {
                kind: ChangeKind::ResponseRemoved,
                pointer: format!("{}/responses/{}", old.origin, r.status),
                items: self.response_items(old, r),
                message: format!("response {} removed", r.status),
                rust: if self.options.server {
                    RustImpact::Breaking
                } else {
                    RustImpact::Docs
                },
                wire: (Wire::Safe, new_client),
            });
        }
        for r in &new.responses {
            let Some(old_r) = old_by_status.get(&r.status) else {
                // A new success an old client does not expect is lost to it.
                let old_client = if r.status.is_success() {
                    Wire::Breaking
                } else {
                    Wire::Safe
                };
                self.push(Entry {
                    kind: ChangeKind::ResponseAdded,
                    pointer: response_pointer(r),
                    items: self.response_items(new, r),
                    message: format!(
                        "response {}{} added",
                        r.status,
                        r.body
                            .as_ref()
                            .map(|b| format!(" with `{}`", render(self.new, &b.ty)))
                            .unwrap_or_default()
                    ),
                    rust: RustImpact::Additive,
                    wire: (old_client, Wire::Safe),
                });
                continue;
            };
            let items = self.response_items(new, r);
            if old_r.description != r.description {
                self.docs(
                    response_pointer(r),
                    items.clone(),
                    "description changed".to_owned(),
                );
            }
            let text = |api: &Api, r: &Response| r.body.as_ref().map(|b| render(api, &b.ty));
            let (before, after) = (text(self.old, old_r), text(self.new, r));
            if before != after {
                let values = match (&old_r.body, &r.body) {
                    (Some(a), Some(b)) => self.values(&a.ty, &b.ty),
                    _ => Values::Different,
                };
                let show = |t: Option<String>| t.map_or("no body".to_owned(), |t| format!("`{t}`"));
                self.push(Entry {
                    kind: ChangeKind::ResponseChanged,
                    pointer: response_pointer(r),
                    items,
                    message: format!(
                        "response {} body {} → {}",
                        r.status,
                        show(before),
                        show(after)
                    ),
                    rust: if self.options.server {
                        RustImpact::Breaking
                    } else {
                        RustImpact::Docs
                    },
                    wire: wire(values, Use::OUTPUT, false),
                });
            } else if let (Some(a), Some(b)) = (&old_r.body, &r.body) {
                if a.media_type != b.media_type {
                    self.push(Entry {
                        kind: ChangeKind::ResponseChanged,
                        pointer: response_pointer(r),
                        items,
                        message: format!(
                            "response {} media type `{}` → `{}`",
                            r.status, a.media_type, b.media_type
                        ),
                        rust: RustImpact::Docs,
                        wire: (Wire::Breaking, Wire::Breaking),
                    });
                }
            }
        }
    }

    /// The type the client's `send` answers with.
    pub(super) fn success_text(&self, api: &Api, op: &Operation) -> String {
        match op.success_body() {
            crate::model::SuccessBody::None => "()".to_owned(),
            crate::model::SuccessBody::One(r) => r
                .body
                .as_ref()
                .map_or("()".to_owned(), |b| render(api, &b.ty)),
            crate::model::SuccessBody::Mixed => {
                let variants: Vec<String> = op
                    .responses
                    .iter()
                    .filter(|r| r.status.is_success())
                    .map(|r| match &r.body {
                        Some(b) => format!("{}({})", r.name, render(api, &b.ty)),
                        None => r.name.to_string(),
                    })
                    .collect();
                format!("{} {{ {} }}", op.success_name, variants.join(", "))
            }
        }
    }

    /// What is API-wide: the client's error variants, its default headers,
    /// security schemes, and the server traits.
    pub(super) fn api_wide(&mut self) {
        let both = |f: &dyn Fn(&Api) -> BTreeMap<String, String>| (f(self.old), f(self.new));
        if self.options.client {
            let (before, after) = both(&|api| {
                api.error_variants()
                    .into_iter()
                    .map(|e| (e.name.clone(), error_body_text(api, &e.body)))
                    .collect()
            });
            for (name, body) in &before {
                if let Some(new_body) = after.get(name).filter(|b| *b != body) {
                    self.push(api_entry(
                        ChangeKind::ResponseChanged,
                        error_pointer(self.new, name),
                        format!("client::ClientError::{name}"),
                        format!("`ClientError::{name}` holds `{new_body}`, was `{body}`"),
                        RustImpact::Breaking,
                    ));
                }
            }
            let (old, new) = (self.old, self.new);
            self.membership(&before, &after, |name, body, added| {
                api_entry(
                    pick(
                        added,
                        ChangeKind::ResponseAdded,
                        ChangeKind::ResponseRemoved,
                    ),
                    error_pointer(if added { new } else { old }, name),
                    format!("client::ClientError::{name}"),
                    pick(
                        added,
                        format!("`ClientError::{name}({body})` added"),
                        format!("no operation documents `{name}` any more"),
                    ),
                    pick(added, RustImpact::Additive, RustImpact::Breaking),
                )
            });
            let (before, after) = both(&|api| {
                api.client_defaults
                    .iter()
                    .map(|d| (d.setter.to_string(), d.wire.clone()))
                    .collect()
            });
            self.membership(&before, &after, |setter, header, added| {
                api_entry(
                    pick(added, ChangeKind::ParameterAdded, ChangeKind::ParameterRemoved),
                    "#/paths".to_owned(),
                    format!("client::ClientBuilder::{setter}"),
                    pick(added, format!("every operation has the header `{header}`: a client-wide default is added"), format!("not every operation has the header `{header}` any more: its client-wide default is gone")),
                    pick(added, RustImpact::Additive, RustImpact::Breaking),
                )
            });
        }
        let (before, after) = both(&|api| {
            api.security_schemes
                .iter()
                .map(|s| (s.wire.clone(), s.name.to_string()))
                .collect()
        });
        self.membership(&before, &after, |wire_name, variant, added| {
            api_entry(
                ChangeKind::SecurityChanged,
                format!("#/components/securitySchemes/{}", escape(wire_name)),
                format!("client::AuthScheme::{variant}"),
                format!(
                    "security scheme `{wire_name}` {}",
                    if added { "added" } else { "removed" }
                ),
                pick(added, RustImpact::Additive, RustImpact::Breaking),
            )
        });
        if self.options.server {
            let (before, after) = both(&|api| {
                api.server_traits
                    .iter()
                    .map(|t| (t.name.to_string(), t.tag.clone()))
                    .collect()
            });
            // Servers implement every trait: one more or one less breaks them.
            self.membership(&before, &after, |name, tag, added| {
                api_entry(
                    ChangeKind::ServerTraitChanged,
                    "#/tags".to_owned(),
                    format!("server::{name}"),
                    if added {
                        format!(
                            "server trait `{name}` (tag `{tag}`) added: servers must implement it"
                        )
                    } else {
                        format!("server trait `{name}` (tag `{tag}`) removed")
                    },
                    RustImpact::Breaking,
                )
            });
        }
    }

    /// One change per key only one version has: `change(key, value,
    /// added)`, for the old version's keys first.
    fn membership(
        &mut self,
        before: &BTreeMap<String, String>,
        after: &BTreeMap<String, String>,
        change: impl Fn(&str, &str, bool) -> Entry,
    ) {
        for (key, value) in before {
            if !after.contains_key(key) {
                self.push(change(key, value, false));
            }
        }
        for (key, value) in after {
            if !before.contains_key(key) {
                self.push(change(key, value, true));
            }
        }
    }
}

/// The verdicts for a parameter or request body the new version adds: a
/// required one is a new argument of the client method, and the new
/// server refuses old clients' requests without it.
fn input_added(required: bool) -> (RustImpact, (Wire, Wire)) {
    if required {
        (
            RustImpact::Breaking,
            wire(Values::Narrower, Use::INPUT, false),
        )
    } else {
        (RustImpact::Additive, wire(Values::Same, Use::INPUT, false))
    }
}

/// The wire verdicts for a parameter or request body the new version
/// drops: an old server still requires a required one from new clients.
fn input_removed(required: bool) -> (Wire, Wire) {
    let values = if required {
        Values::Wider
    } else {
        Values::Same
    };
    wire(values, Use::INPUT, false)
}

/// `yes` for something added, `no` for something removed.
fn pick<T>(added: bool, yes: T, no: T) -> T {
    if added {
        yes
    } else {
        no
    }
}

/// An API-wide change: one Rust item, nothing on the wire (the operations
/// that use it say what happens there).
fn api_entry(
    kind: ChangeKind,
    pointer: String,
    item: String,
    message: String,
    rust: RustImpact,
) -> Entry {
    Entry {
        kind,
        pointer,
        items: vec![item],
        message,
        rust,
        wire: SAFE,
    }
}

/// Where the first operation documents the error status a `ClientError`
/// variant is named after.
fn error_pointer(api: &Api, variant: &str) -> String {
    api.operations
        .iter()
        .find_map(|op| {
            op.responses
                .iter()
                .find(|r| !r.status.is_success() && r.status.reason_name() == variant)
                .map(|r| format!("{}/responses/{}", op.origin, r.status))
        })
        .unwrap_or_else(|| "#/paths".to_owned())
}

fn error_body_text(api: &Api, body: &crate::model::ErrorBody) -> String {
    match body {
        crate::model::ErrorBody::Typed(ty) => render(api, ty),
        crate::model::ErrorBody::Json => "Value".to_owned(),
        crate::model::ErrorBody::Text => "String".to_owned(),
    }
}

fn location_text(p: &Parameter) -> &'static str {
    match p.location {
        crate::model::ParameterLocation::Path => "path",
        crate::model::ParameterLocation::Query => "query",
        crate::model::ParameterLocation::Header => "header",
        crate::model::ParameterLocation::Cookie => "cookie",
    }
}

fn security_text(security: &[Vec<String>]) -> String {
    if security.is_empty() {
        return "none".to_owned();
    }
    security
        .iter()
        .map(|set| {
            if set.is_empty() {
                "anonymous".to_owned()
            } else {
                set.iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(" + ")
            }
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Requests admitted: with no requirement (or an anonymous alternative)
/// every request is; otherwise those carrying one of the alternatives.
fn security_values(old: &[Vec<String>], new: &[Vec<String>]) -> Values {
    let open = |s: &[Vec<String>]| s.is_empty() || s.iter().any(Vec::is_empty);
    match (open(old), open(new)) {
        (true, true) => Values::Same,
        (true, false) => Values::Narrower,
        (false, true) => Values::Wider,
        (false, false) => {
            let set = |s: &[Vec<String>]| s.iter().cloned().collect::<BTreeSet<_>>();
            let (a, b) = (set(old), set(new));
            match (a.is_subset(&b), b.is_subset(&a)) {
                (true, true) => Values::Same,
                (true, false) => Values::Wider,
                (false, true) => Values::Narrower,
                (false, false) => Values::Different,
            }
        }
    }
}
